from django.db import DatabaseError, connection
from django.http import HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer `/healthz` before anything else: 200 when the database answers, 503 when not.

    It sits first in MIDDLEWARE so that a container or load-balancer probe, which
    calls by IP address over plain HTTP, is neither refused by ALLOWED_HOSTS nor
    redirected to HTTPS. It reveals nothing but "ok" or "unavailable".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            return _plain("unavailable\n", status=503)
        return _plain("ok\n", status=200)


def _plain(text, *, status):
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response
