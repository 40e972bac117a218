from django.urls import path

from harmreduction.urls import urlpatterns as app_urlpatterns
from perf import views

# Only under perf.settings: the product's URLconf knows neither.
urlpatterns = [
    path("bench/hello/", views.hello),
    path("bench/baseline/", views.baseline),
    *app_urlpatterns,
]
