from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from harmreduction.urls import urlpatterns as app_urlpatterns


@require_GET
def baseline(request):
    # Signed-in only, like every page (LoginRequiredMiddleware); does nothing else.
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/baseline/", baseline), *app_urlpatterns]
