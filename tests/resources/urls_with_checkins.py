"""The project's URLs plus a stand-in for the check-ins page, to test the "add to check-in" link."""

from django.http import HttpResponse
from django.urls import include, path

from harmreduction.urls import urlpatterns as project_urlpatterns

checkin_patterns = (
    [path("checkins/new/", lambda request: HttpResponse(), name="checkin_new")],
    "sessions_app",
)

urlpatterns = [*project_urlpatterns, path("", include(checkin_patterns))]
