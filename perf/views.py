from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def baseline(request):
    """The signed-in floor: behind the same middleware and session lookup as every page, and nothing else.

    A page's time is read as a multiple of this one (bench_throughput).
    """
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


@require_GET
@login_not_required
def hello(request):
    """The ceiling of the stack: gunicorn and Django answering with no session and no database.

    The middleware still runs (it is the same server), but asked without a cookie
    none of it reads a session or the database (tests/perf/test_views.py).
    """
    return HttpResponse("hello", content_type="text/plain")
