from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("library/", views.library, name="library"),
    # Before <slug>/ so "words" is never read as a card (Card.clean reserves the slug).
    path("library/words/", views.terms, name="terms"),
    path("library/<slug:slug>/", views.card_detail, name="card_detail"),
    path("library/<slug:slug>/show/", views.card_show, name="card_show"),
    # Referral directory
    path("directory/", views.directory, name="directory"),
    path("directory/offline/", views.directory_offline, name="directory_offline"),
    path("directory/stale/", views.directory_stale, name="directory_stale"),
    path("directory/<int:pk>/", views.service_detail, name="service_detail"),
    path("directory/<int:pk>/slip/", views.service_slip, name="service_slip"),
    path("directory/<int:pk>/qr.svg", views.service_qr, name="service_qr"),
    path("directory/<int:pk>/verified/", views.service_verified, name="service_verified"),
]
