"""A URLconf for the Permissions-Policy tests: one view that may ask for the location."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from harmreduction.middleware import allows_geolocation


@require_GET
@allows_geolocation
def near_me(request):
    return HttpResponse("near me")


@allows_geolocation
@require_GET
def near_me_outer(request):
    return HttpResponse("near me")


urlpatterns = [
    path("near-me/", near_me),
    path("near-me-outer/", near_me_outer),
    path("", include("harmreduction.urls")),
]
