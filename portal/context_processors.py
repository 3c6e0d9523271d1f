from django.core.exceptions import DisallowedHost


def origin(request):
    """The scheme and host of the request, which a page's canonical, alternate and Open Graph
    addresses share: worked out once per page instead of once per address."""
    try:
        return {"origin": f"{request.scheme}://{request.get_host()}"}
    except DisallowedHost:  # a page about the refused request itself: its addresses stay relative
        return {}
