"""Whole-page cache for anonymous visitors, invalidated by one number.

Every cached page is stored under the current *content generation*. Saving or deleting content,
or moderating a comment, bumps the generation: every page is then stale at once, with no key
hunting. Scheduled publishing is covered by remembering when the next `publish_at` or
`unpublish_at` falls due; the first request after that moment bumps the generation too.

Pages under the language prefixes and the read-only API are cached. Signed-in users, previews, forms
that set cookies and anything but GET/HEAD bypass the cache.
Responses say `Cache-Control: public, max-age=…` when a front proxy may keep them briefly.

A page must never be stored under a new generation from rows a read replica has not replayed
yet: for a few seconds after a change `content_changed_recently()` is true, and portal/db_router.py
sends every read to the primary.
"""

import hashlib
import pickle
import time
from collections import OrderedDict
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "portal:content-generation"
NEXT_CHANGE_KEY = "portal:next-scheduled-change"
RECENT_CHANGE_KEY = "portal:content-changed-recently"
REPLICA_CATCH_UP = 10  # seconds a read replica is given to replay a change; streaming takes far less
PAGE_TIMEOUT = 60 * 60
PROXY_MAX_AGE = 5  # seconds a front proxy may serve a page without asking again


def fresh_generation():
    """A generation never used before, for a cache that has lost its number (emptied, restarted):
    starting again from 1 would reuse the keys of pages that workers still hold."""
    return time.time_ns() // 1000


def content_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_content_generation(**_signal_kwargs):
    read = _generation_of_request.get()
    if read is not None:
        read.clear()  # this request reads the new one
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, fresh_generation(), timeout=None)
    cache.delete(NEXT_CHANGE_KEY)
    cache.set(RECENT_CHANGE_KEY, True, REPLICA_CATCH_UP)


def content_changed(**_signal_kwargs):
    """A save or delete: every page is stale at once, and again when the change commits. Between the
    two, another request may render from the rows as they were before the commit and store the page
    under the new generation; the second bump drops it."""
    bump_content_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump_content_generation)


def content_changed_recently():
    return cache.get(RECENT_CHANGE_KEY, False)


def next_scheduled_change():
    """The next moment an item appears or disappears by its dates (None when nothing is scheduled).

    One query: the earliest future date of each kind, united."""
    from glossary.models import Term
    from initiatives.models import Initiative, Publication

    now = timezone.now()
    earliest = [
        model.objects.filter(state="published", **{f"{field}__gt": now}).order_by(field).values_list(field)[:1]
        for model in (Initiative, Publication, Term)
        for field in ("publish_at", "unpublish_at")
    ]
    moments = [moment for (moment,) in earliest[0].union(*earliest[1:], all=True)]
    return min(moments) if moments else None


# Within a request the generation is read from the shared cache once, and then again only after the
# request itself bumps it: a page asks for it once for its key and once per value kept per generation.
_generation_of_request = ContextVar("generation_of_request", default=None)


def current_generation():
    """The generation, bumped first if a scheduled change has fallen due since it was computed: read
    once per request (the page cache's middleware opens the request's reading)."""
    read = _generation_of_request.get()
    if read is None:
        return read_generation()
    if "generation" not in read:
        read["generation"] = read_generation()
    return read["generation"]


def read_generation():
    values = cache.get_many([GENERATION_KEY, NEXT_CHANGE_KEY])
    generation = values.get(GENERATION_KEY) or content_generation()
    next_change = values.get(NEXT_CHANGE_KEY, "unknown")
    if next_change == "unknown":
        upcoming = next_scheduled_change()
        cache.set(NEXT_CHANGE_KEY, upcoming.timestamp() if upcoming else None, timeout=None)
    elif next_change is not None and timezone.now().timestamp() >= next_change:
        bump_content_generation()
        return read_generation()
    return generation


def kept_per_generation(name, compute):
    """What `compute()` returns, computed once per content generation and kept in the shared cache:
    for data derived from the whole content (counts, charts, menus), which any change may move.

    Each process also keeps its own copy for the current generation, so a page reads the shared cache
    for the generation only: callers read what they get and never change it."""
    generation = current_generation()
    key = f"portal:derived:{name}:{generation}"
    if kept_here.get("generation") != generation:
        kept_here.clear()
        kept_here["generation"] = generation
    value = kept_here.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, 60 * 60 * 24)
        kept_here[key] = value
    return value


kept_here = {}  # this process's copies of the kept values of one generation, and that generation


API_PREFIX = "/api/"
API_SCHEMA = "/api/schema/"  # generated from the code, not the content: nothing to invalidate


def is_cacheable_request(request):
    path = request.path_info
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "preview" not in request.GET
        and path.startswith((*(f"/{code}/" for code, _name in settings.LANGUAGES), API_PREFIX))
        and not path.startswith(API_SCHEMA)
    )


def page_key(request):
    """The cache key of a page: its path and query string (any length, any character), and for the API
    the formats the client accepts, since the same address answers JSON or CSV."""
    address = request.get_full_path()
    if request.path_info.startswith(API_PREFIX):
        address += "\n" + request.headers.get("Accept", "")
    return f"portal:page:{current_generation()}:{hashlib.sha256(address.encode()).hexdigest()}"


class LocalCopies:
    """This process's most recently served pages, pickled, up to `limit` bytes: a hit then costs no
    read from the shared cache (which, on files, also decompresses the page).

    Safe without invalidation: every key carries the content generation, so a change makes new keys
    and the old copies simply age out. Each hit unpickles its own response object."""

    def __init__(self, limit):
        self.limit = limit
        self.pages = OrderedDict()
        self.size = 0

    def get(self, key):
        data = self.pages.get(key)
        if data is None:
            return None
        self.pages.move_to_end(key)
        return pickle.loads(data)

    def put(self, key, response):
        data = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.limit // 8:
            return
        self.size += len(data) - len(self.pages.pop(key, b""))
        self.pages[key] = data
        while self.size > self.limit:
            _oldest, dropped = self.pages.popitem(last=False)
            self.size -= len(dropped)


LOCAL_COPIES_BYTES = 12 * 2**20  # per worker, within the 150 MB the deployment allows it
local_copies = LocalCopies(LOCAL_COPIES_BYTES)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def store(key, response):
        cache.set(key, response, PAGE_TIMEOUT)
        local_copies.put(key, response)

    def __call__(self, request):
        reading = _generation_of_request.set({})
        try:
            return self.respond(request)
        finally:
            _generation_of_request.reset(reading)

    def respond(self, request):
        if not is_cacheable_request(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        key = page_key(request)
        cached = local_copies.get(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                local_copies.put(key, cached)
        if cached is not None:
            cached["X-Portal-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self.storable(request, response):
            response["X-Portal-Cache"] = "miss"
            if "max-age" not in response.get("Cache-Control", ""):
                patch_cache_control(response, public=True, max_age=PROXY_MAX_AGE)
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda rendered: self.store(key, rendered))
            else:
                self.store(key, response)
        else:
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def storable(request, response):
        cache_control = response.get("Cache-Control", "")
        user = getattr(request, "user", None)
        return (
            response.status_code in {200, 301, 404}
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")  # a form's token belongs to one visitor
            and not response.streaming
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not (user and user.is_authenticated)
        )
