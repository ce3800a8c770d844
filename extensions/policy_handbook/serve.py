"""``make serve``: the published site on http://127.0.0.1:8000, for this machine only.

``python -m policy_handbook.serve [--port 8000] [DIRECTORY]`` (default ``_build/html``).

http.server, with what a preview server on a developer's machine needs:

* it listens on the loopback address only;
* it answers only requests whose ``Host`` is a local name (``localhost``,
  ``127.0.0.1``, ``[::1]``, with or without a port): a web page on another site
  that rebinds its DNS name to 127.0.0.1 (DNS rebinding) gets 403;
* dotfiles (Sphinx's ``.buildinfo``, a temp file) are neither served nor listed;
* ``DIRECTORY`` is looked up on every request, so the site ``make html``
  publishes by switching the ``_build/html`` symlink is served at once.

No Sphinx import.
"""

from __future__ import annotations

import argparse
import html
import http.server
import io
import os
import re
import sys
import urllib.parse
from functools import partial
from pathlib import Path

LOCAL_NAME = r"(?:localhost|127\.0\.0\.1|\[::1\])"
_LOCAL_HOST = re.compile(rf"{LOCAL_NAME}(?::[0-9]{{1,5}})?", re.I)
_LOCAL_ORIGIN = re.compile(rf"https?://({LOCAL_NAME})(?::([0-9]{{1,5}}))?", re.I)


def is_local_host(host: str | None) -> bool:
    """A Host header naming this machine: localhost, 127.0.0.1 or [::1], optionally with a port."""
    return host is not None and _LOCAL_HOST.fullmatch(host) is not None


def is_local_origin(origin: str | None, port: int | None) -> bool:
    """An Origin header of a page served by this server (a local name and ``port``).

    No Origin at all is a client that is not a browser (browsers always send
    one with a WebSocket handshake): allowed. ``null`` (a sandboxed or file:
    page) is not.
    """
    if origin is None:
        return True
    match = _LOCAL_ORIGIN.fullmatch(origin)
    if match is None:
        return False
    origin_port = int(match.group(2)) if match.group(2) else (443 if origin.lower().startswith("https") else 80)
    return port is None or origin_port == port


def is_hidden(url_path: str) -> bool:
    """Whether a request path names a dotfile: the one rule of both local servers (this one
    and ``make livehtml``'s, site/livehtml.py).

    Hidden is any segment starting with '.' once percent-decoded (``/.buildinfo``,
    ``/%2ebuildinfo``, ``/.git/``) and '..' too, so ``/_static/../.buildinfo`` is refused
    before any server normalises it. The path is cut at '?' and '#' by hand: urlsplit
    would read ``//.buildinfo`` as a host name and see no path at all.
    """
    path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0])
    return any(part.startswith(".") for part in re.split(r"[/\\]", path) if part)


class LocalSiteHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler refusing foreign Host names and hiding dotfiles."""

    def send_head(self):
        if not is_local_host(self.headers.get("Host")):
            self.send_error(403, "Host not allowed", "This server answers requests for localhost only.")
            return None
        if is_hidden(self.path):
            self.send_error(404, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        # As http.server lists a folder, without dotfiles.
        try:
            names = sorted((n for n in os.listdir(path) if not n.startswith(".")), key=str.lower)
        except OSError:
            self.send_error(404, "No permission to list directory")
            return None
        shown = html.escape(urllib.parse.unquote(self.path), quote=False)
        items = []
        for name in names:
            label = name + ("/" if os.path.isdir(os.path.join(path, name)) else "")
            items.append(f'<li><a href="{urllib.parse.quote(label)}">{html.escape(label, quote=False)}</a></li>')
        body = (
            f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{shown}</title>\n</head>\n'
            f"<body>\n<h1>{shown}</h1>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n"
        ).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        # Request lines can carry terminal escapes: print them escaped.
        sys.stderr.write(f"{self.address_string()} - {(format % args).encode('unicode_escape').decode('ascii')}\n")


def make_server(directory: Path | str, port: int) -> http.server.ThreadingHTTPServer:
    """Listening on 127.0.0.1:port (0: a free port)."""
    handler = partial(LocalSiteHandler, directory=os.fspath(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy_handbook.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="_build/html")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = make_server(args.directory, args.port)
    print(f"serving {args.directory} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
