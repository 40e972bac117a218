from django.urls import path

from sessions_app import views

app_name = "sessions_app"

urlpatterns = [
    path("checkins/", views.checkin_list, name="checkin_list"),
    path("checkins/new/", views.checkin_new, name="checkin_new"),
    path("checkins/draft/", views.checkin_draft, name="checkin_draft"),
    path("checkins/coach/", views.checkin_coach, name="checkin_coach"),
    path("checkins/referrals/search/", views.checkin_referral_search, name="checkin_referral_search"),
    path("checkins/referrals/row/", views.checkin_referral_row, name="checkin_referral_row"),
    path("checkins/draft/discard/", views.checkin_draft_discard, name="checkin_draft_discard"),
    path("checkins/offline/", views.checkin_offline, name="checkin_offline"),
    path("checkins/saved/<uuid:key>/", views.checkin_saved, name="checkin_saved"),
    path("checkins/returned/<int:pk>/", views.checkin_returned, name="checkin_returned"),
    path("checkins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("checkins/<int:pk>/edit/", views.checkin_edit, name="checkin_edit"),
    path("checkins/<int:pk>/addendum/", views.checkin_addendum, name="checkin_addendum"),
    path("checkins/<int:pk>/reply/", views.checkin_reply, name="checkin_reply"),
    path("checkins/<int:pk>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path("participants/duplicates/", views.participant_duplicates, name="participant_duplicates"),
    path("participants/merge/", views.participant_merge, name="participant_merge"),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral_status"),
    path("participants/<int:pk>/reversals/", views.participant_reversal, name="participant_reversal"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_checkin, name="review_checkin"),
    path("feedback/", views.feedback_inbox, name="feedback_inbox"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/figures.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/notes.csv", views.notes_csv, name="notes_csv"),
    path("reports/funders/", views.funder_report, name="funder_report"),
    path("reports/funders.csv", views.funder_report_csv, name="funder_report_csv"),
]
