"""``make livehtml``: sphinx-autobuild, answering this machine's browser only.

sphinx-autobuild serves the build and a reload WebSocket with Starlette on
uvicorn, and checks neither the Host nor the Origin of a request: any web page
could connect to the reload socket, and a page on a DNS-rebound name could read
the preview. ``python -m policy_handbook.site.livehtml ARGS`` runs
sphinx-autobuild with ARGS (its own command line) and wraps the app it creates
in ``LocalOnly``:

* an HTTP request or WebSocket handshake whose Host is not a local name gets 403;
* a WebSocket handshake from a page of another origin (Origin other than
  http://localhost|127.0.0.1|[::1] on the server's port) is refused (403);
* a dotfile (Sphinx's ``.buildinfo``, also as ``/%2ebuildinfo`` or
  ``/_static/../.buildinfo``) gets 404: the rule of ``make serve``, ``serve.is_hidden``.

sphinx-autobuild has no hook for middleware: its ``_create_app`` (pinned in
requirements/test.txt) is wrapped; if a new version drops it this fails loudly.
"""

from __future__ import annotations

import sys

from ..serve import is_hidden, is_local_host, is_local_origin

FORBIDDEN = b"This server answers requests from localhost only.\n"
NOT_FOUND = b"Not found.\n"


class LocalOnly:
    """ASGI middleware: refuse requests for a foreign Host, WebSockets from a foreign Origin, dotfiles."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers: dict[str, str] = {}
            for key, value in scope.get("headers", ()):
                headers.setdefault(key.decode("latin-1").lower(), value.decode("latin-1"))
            server = scope.get("server") or (None, None)
            allowed = is_local_host(headers.get("host"))
            if scope["type"] == "websocket":
                allowed = allowed and is_local_origin(headers.get("origin"), server[1])
            if not allowed:
                if scope["type"] == "http":
                    await _respond(send, 403, FORBIDDEN)
                else:
                    # Closing before accepting: uvicorn answers the handshake with 403.
                    await send({"type": "websocket.close", "code": 1008})
                return
            # The path as received (raw_path, still percent-encoded), as make serve sees it.
            raw_path = scope.get("raw_path")
            path = raw_path.decode("latin-1") if raw_path else scope.get("path", "")
            if scope["type"] == "http" and is_hidden(path):
                await _respond(send, 404, NOT_FOUND)
                return
        await self.app(scope, receive, send)


async def _respond(send, status: int, body: bytes) -> None:
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def main(argv: list[str] | None = None) -> int:
    from sphinx_autobuild import __main__ as autobuild

    create_app = autobuild._create_app

    def guarded_app(*args, **kwargs):
        return LocalOnly(create_app(*args, **kwargs))

    autobuild._create_app = guarded_app
    autobuild.main(sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
