"""Fetching a feed from an address: http(s) only, a timeout, and a size limit read as it streams."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlparse

from django.utils.translation import gettext as _

from .common import FeedRefused

TIMEOUT = 30  # seconds, as TSML (wp_safe_remote_get)
MAX_BYTES = 25 * 1024 * 1024
CHUNK = 64 * 1024
USER_AGENT = "ecomap-meeting-import/1 (+https://github.com/)"


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at `url`, or FeedRefused saying what went wrong (nothing is changed)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise FeedRefused(_("Only http and https addresses can be imported."))
    request = urllib.request.Request(url, headers={  # noqa: S310 (scheme checked above)
        "User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FeedRefused(_("The feed is %(size)s bytes, more than the limit of %(max)s.")
                                  % {"size": length, "max": max_bytes})
            body = bytearray()
            while chunk := response.read(CHUNK):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise FeedRefused(_("The feed is larger than the limit of %(max)s bytes.")
                                      % {"max": max_bytes})
            return bytes(body)
    except urllib.error.HTTPError as error:
        raise FeedRefused(_("The server answered %(status)s %(reason)s.")
                          % {"status": error.code, "reason": error.reason}) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FeedRefused(_("No answer within %(s)s seconds.") % {"s": timeout}) from None
        raise FeedRefused(_("The address could not be reached (%(reason)s).")
                          % {"reason": reason}) from None
    except TimeoutError:
        raise FeedRefused(_("No answer within %(s)s seconds.") % {"s": timeout}) from None
    except (ValueError, OSError, http.client.HTTPException) as error:
        raise FeedRefused(_("The address could not be read (%(error)s).")
                          % {"error": type(error).__name__}) from None
