"""Which URLs the data may carry: http(s) web addresses only.

A `javascript:` or `data:` URL in policy data would run script in a consumer
that links it; `file:` and credentials in a URL have no business in a
published guideline. The schema says the same (`$defs/httpUrl`) for editors,
but the schema sits in the folder owners edit, so this check is the one relied on.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL_CHARS = 2000
_SCHEME = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://")
# Whitespace, controls and the ASCII characters RFC 3986 never allows raw (non-ASCII is
# allowed: Japanese sites publish IRIs).
_NOT_IN_URL = re.compile(r'[\s\x00-\x1f\x7f-\x9f"<>\\^`{|}]')


def is_http_url(url: object) -> bool:
    """Whether ``url`` is an absolute http:// or https:// address with a host (and no user:password@)."""
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS or not _SCHEME.match(url) or _NOT_IN_URL.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host) and "@" not in parts.netloc
