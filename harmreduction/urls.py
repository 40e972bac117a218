from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from harmreduction import views
from harmreduction.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One sign-in page for everyone: the admin's own login form goes to ours.
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("account/", include("harmreduction.account_urls")),
    path("", include("sessions_app.urls")),
]
