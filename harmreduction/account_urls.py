from django.urls import path

from harmreduction import views

app_name = "account"

urlpatterns = [
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("password/", views.password_change, name="password_change"),
    path("settings/", views.account_settings, name="settings"),
    path("sessions/", views.account_sessions, name="sessions"),
    path("sessions/<int:pk>/end/", views.account_session_end, name="session_end"),
    path("sessions/end-others/", views.account_sessions_end_others, name="sessions_end_others"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
]
