from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    """The signed-in floor: behind the same middleware and session lookup as every page, and nothing else.

    bench_throughput gives the search page's throughput as a fraction of this one's.
    """
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
