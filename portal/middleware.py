"""While PostgreSQL is unreachable, visitors get a readable 503 page in their language, never a traceback."""

import logging

from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse

DATABASE_ERRORS = (OperationalError, InterfaceError)

logger = logging.getLogger("portal.database")


def database_unavailable(request):
    """The 503 page. Its template touches neither the session nor the user: both live in the database."""
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "10"
    return response.render()


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection during a view into a 503.

    Nothing is half-saved: the services run in transactions, which PostgreSQL rolls back
    when the connection is gone. Django's CONN_HEALTH_CHECKS opens a fresh connection on the
    next request, so the portal recovers by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable: %s", exception)
            return database_unavailable(request)
        return None
