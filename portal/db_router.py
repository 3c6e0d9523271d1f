"""Anonymous visitors' reads on the read replica; everything else on the primary.

Installed when DATABASE_REPLICA_URL is set (settings.py). The middleware decides once per request,
before the view runs, and the router follows that decision:

- the replica serves GET and HEAD requests of anonymous visitors outside the admin;
- the primary serves every write, every read of a signed-in user (a delegate who has just sent a
  comment must find it under "My comments", however far the replica lags), the admin, forms sent
  with POST, reads inside a transaction, and everything outside a request (management commands,
  the shell, mail sent from cron);
- for a few seconds after a content change the primary serves everyone, so that the page cache
  never stores a page made from rows the replica has not replayed yet (portal/page_cache.py).

A replica that cannot be reached is never an outage: its reads go to the primary, and this process
leaves the replica alone for REPLICA_RETRY_AFTER seconds before it tries again.
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from portal.middleware import DATABASE_ERRORS
from portal.page_cache import content_changed_recently

REPLICA = "replica"
ADMIN_PATH = "/admin/"
REPLICA_RETRY_AFTER = 30  # seconds

logger = logging.getLogger("portal.database")

# False outside a request: commands, the shell and background work read the primary.
reads_on_replica = ContextVar("reads_on_replica", default=False)
replica_down_until = 0.0  # time.monotonic() before which this process leaves the replica alone


def replica_answers():
    """Whether the replica can take a read now: connected, or connectable, and not given up on."""
    global replica_down_until
    if time.monotonic() < replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()  # a connection kept from an earlier request may be dead
        replica.ensure_connection()
    except DATABASE_ERRORS as error:
        logger.error("Read replica unavailable, reading the primary for %d s: %s", REPLICA_RETRY_AFTER, error)
        replica_down_until = time.monotonic() + REPLICA_RETRY_AFTER
        return False
    return True


class PublicReadsOnReplicaRouter:
    def db_for_read(self, model, **hints):
        if reads_on_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block and replica_answers():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may point at one from the other.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def is_anonymous_public_read(request):
    if request.method not in {"GET", "HEAD"} or request.path_info.startswith(ADMIN_PATH):
        return False
    # No session cookie means an anonymous visitor: no query is needed to know it. With one, the
    # session and the user are loaded here, from the primary, where a fresh sign-in already is.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated


class PublicReadsOnReplicaMiddleware:
    """Decides, for the time of one request, whether its reads may go to the replica.

    Placed after AuthenticationMiddleware, so that the user is known, and after the page cache,
    whose own bookkeeping reads the primary and whose hits need no database at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        token = reads_on_replica.set(is_anonymous_public_read(request) and not content_changed_recently())
        try:
            return self.get_response(request)
        finally:
            reads_on_replica.reset(token)
