"""Error pages that say what happened in plain words and leak nothing (no paths, no ids, no trace)."""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

# The navigation must not mark the section the failed URL pointed into as the current page.
ERROR_CONTEXT = {"error_page": True}


def bad_request(request, exception=None):
    return render(request, "errors/400.html", ERROR_CONTEXT, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", ERROR_CONTEXT, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", ERROR_CONTEXT, status=404)


def server_error(request):
    # No request context: the 500 page must render even when the database is down.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", ERROR_CONTEXT, status=403)
