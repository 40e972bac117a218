from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("library/", views.library, name="library"),
    # Before <slug>/ so "words" is never read as a card (Card.clean reserves the slug).
    path("library/words/", views.terms, name="terms"),
    path("library/<slug:slug>/", views.card_detail, name="card_detail"),
    path("library/<slug:slug>/show/", views.card_show, name="card_show"),
]
