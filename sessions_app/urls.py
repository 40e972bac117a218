from django.urls import path

from sessions_app import views

app_name = "sessions_app"

urlpatterns = [
    path("checkins/", views.checkin_list, name="checkin_list"),
    path("checkins/new/", views.checkin_new, name="checkin_new"),
    path("checkins/draft/", views.checkin_draft, name="checkin_draft"),
    path("checkins/draft/discard/", views.checkin_draft_discard, name="checkin_draft_discard"),
    path("checkins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("checkins/<int:pk>/edit/", views.checkin_edit, name="checkin_edit"),
    path("checkins/<int:pk>/addendum/", views.checkin_addendum, name="checkin_addendum"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
]
