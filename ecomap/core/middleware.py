from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

from . import context

# Paths reachable without signing in: the login flow, health check, static files.
PUBLIC_PREFIXES = ("/accounts/login/", "/accounts/password-reset/", "/accounts/reset/",
                   "/healthz", "/static/", "/admin/login/")


def client_ip(request) -> str:
    """The client's address; behind a proxy, the one it reports (ECOMAP_PROXY_COUNT hops)."""
    hops = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Give every request an id (echoed as X-Request-ID) and bind the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(
            path=request.path,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        request.id = ctx.request_id
        with context.bind(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response


class LoginRequiredMiddleware:
    """Everything needs a signed-in user except the public paths (Django 5.1 has one, but it
    does not cover the admin login or static files the way we need)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path first: public paths (the health check above all) never load the session.
        if not request.path.startswith(PUBLIC_PREFIXES) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
