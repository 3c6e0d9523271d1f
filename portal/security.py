"""The Content-Security-Policy's exceptions and the second factor for staff who moderate or publish."""

import base64
import hashlib
import re
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Staff with any of these permissions can change what the public reads.
SECOND_FACTOR_PERMISSIONS = (
    "initiatives.change_comment",
    "initiatives.publish_initiative",
    "initiatives.publish_publication",
    "glossary.publish_term",
)


def prose_editor_importmap_hash():
    """The rich-text editor's inline import map, allowed by its hash rather than by 'unsafe-inline'.

    Computed per admin response (a hash of 200 bytes) since the static files storage decides
    the names in it; a nonce cannot be used because the admin renders form media without one (Django 5.2).
    """
    from django_prose_editor.widgets import importmap

    content = re.fullmatch(r"<script[^>]*>(.*)</script>", str(importmap), re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    return f"'sha256-{digest}'"


class PortalCSPMiddleware(CSPMiddleware):
    """The site's policy, plus what the admin needs: the editor's import map and its inline styles.

    The admin's own templates and the editor (Tiptap) write inline styles that carry no nonce;
    styles cannot run code, scripts stay strict everywhere.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/") and getattr(request, "_csp_nonce", None) is None:
            parts.update = {
                **(parts.update or {}),
                "script-src": [prose_editor_importmap_hash()],
                "style-src": ["'unsafe-inline'"],
            }
        return parts


class StaffSecondFactorMiddleware:
    """Moderators and publishers confirm a one-time code before the admin opens, when the site requires it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PORTAL_STAFF_OTP_REQUIRED
            and request.path_info.startswith("/admin/")
            and not request.path_info.startswith(("/admin/login/", "/admin/logout/", "/admin/jsi18n/"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not request.user.is_verified()
            and (request.user.is_superuser or any(request.user.has_perm(p) for p in SECOND_FACTOR_PERMISSIONS))
        ):
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
