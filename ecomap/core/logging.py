"""Log filters: every line carries the request id, and no line carries a query string
(search terms on the caseload are names, which must not reach application logs)."""

from __future__ import annotations

import logging
import re

from . import context

_QUERY = re.compile(r"\?[^\s\"']*")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = context.current()
        record.request_id = ctx.request_id if ctx else "-"
        return True


class StripQueryStringFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _QUERY.sub("?…", a) if isinstance(a, str) else a for a in record.args
            ) if isinstance(record.args, tuple) else record.args
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?…", record.msg)
        return True
