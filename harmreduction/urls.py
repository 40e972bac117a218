from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from harmreduction import views
from harmreduction.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The installable app (docs/offline.md): the worker must be served from the root to cover the site.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
    path("offline/copy.json", views.offline_copy_list, name="offline_copy_list"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", views.logout, name="logout"),
    # One sign-in page for everyone: the admin's own login form goes to ours.
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("account/", include("harmreduction.account_urls")),
    path("", include("sessions_app.urls")),
]
