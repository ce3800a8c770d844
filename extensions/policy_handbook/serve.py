"""``make serve``: the published site on http://127.0.0.1:8000, for this machine only.

``python -m policy_handbook.serve [--port 8000] [DIRECTORY]`` (default ``_build/html``).

http.server, with what a preview server on a developer's machine needs:

* it listens on the loopback address only;
* it answers only requests whose ``Host`` is a local name (``localhost``,
  ``127.0.0.1``, ``[::1]``, with or without a port): a web page on another site
  that rebinds its DNS name to 127.0.0.1 (DNS rebinding) gets 403;
* dotfiles (Sphinx's ``.buildinfo``, a temp file) are neither served nor listed;
* ``DIRECTORY`` is looked up on every request, so the site ``make html``
  publishes by switching the ``_build/html`` symlink is served at once;
* a connection has ``--header-timeout`` seconds (10) in all to send its request
  line and headers, and an idle one as long, so a client that sends a header byte by
  byte or nothing holds its thread that long at most; at most ``--max-connections``
  (64) are served at once, a further one waits in the listen queue for a free slot.

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
import threading
import time
import urllib.parse
from functools import partial
from pathlib import Path
from typing import cast

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


HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 64


class _HeaderDeadline:
    """The request's input while its header is read: every line read shares one deadline.

    A socket timeout alone bounds each read, not their sum: a client sending a byte every
    few seconds would hold the connection for ever. So a line is read one socket read at
    a time (``peek``), each allowed only what is left of the time.
    """

    def __init__(self, rfile, connection, seconds: float):
        self._rfile, self._connection = rfile, connection
        self._deadline = time.monotonic() + seconds

    def readline(self, limit: int = -1) -> bytes:
        line = bytearray()
        while limit < 0 or len(line) < limit:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the request header took too long")
            self._connection.settimeout(remaining)
            buffered = self._rfile.peek(1)  # what is buffered, or one read of the socket
            if not buffered:
                break  # the client closed
            room = len(buffered) if limit < 0 else min(len(buffered), limit - len(line))
            end = buffered.find(b"\n", 0, room)
            line += self._rfile.read(end + 1 if end >= 0 else room)  # buffered: no wait
            if end >= 0:
                break
        return bytes(line)

    def __getattr__(self, name):
        return getattr(self._rfile, name)


class LocalSiteHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler refusing foreign Host names and hiding dotfiles."""

    server: LocalServer

    def setup(self):
        # typeshed declares StreamRequestHandler.timeout a ClassVar, but setup() reads it
        # per instance: each read or write of this connection.
        self.timeout = self.server.header_timeout  # type: ignore[misc]
        super().setup()

    def handle_one_request(self):
        # http.server reads the request line and every header line with readline(); a
        # TimeoutError there is answered by closing the connection (handle_one_request).
        rfile = self.rfile
        # A reader in the file's place: http.server only calls readline() (and read()) on it.
        self.rfile = cast(io.BufferedIOBase, _HeaderDeadline(rfile, self.connection, self.server.header_timeout))
        try:
            super().handle_one_request()
        finally:
            self.rfile = rfile

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.rfile = self.rfile._rfile if isinstance(self.rfile, _HeaderDeadline) else self.rfile
        self.connection.settimeout(self.timeout)  # the response gets its own time
        return parsed

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


class LocalServer(http.server.ThreadingHTTPServer):
    """A thread per connection, at most ``max_connections`` of them at once."""

    request_queue_size = 128  # the listen queue, where connections over the cap wait

    def __init__(self, address, handler, *, header_timeout: float = HEADER_TIMEOUT, max_connections: int = MAX_CONNECTIONS):
        super().__init__(address, handler)
        self.header_timeout = header_timeout
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address):
        # At the cap, accept nothing more until a connection ends (each ends within its
        # timeouts): a newcomer waits in the listen queue instead of taking another thread.
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def make_server(
    directory: Path | str, port: int, *, header_timeout: float = HEADER_TIMEOUT, max_connections: int = MAX_CONNECTIONS
) -> LocalServer:
    """Listening on 127.0.0.1:port (0: a free port)."""
    handler = partial(LocalSiteHandler, directory=os.fspath(directory))
    return LocalServer(("127.0.0.1", port), handler, header_timeout=header_timeout, max_connections=max_connections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policy_handbook.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="_build/html")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=HEADER_TIMEOUT,
        metavar="SECONDS",
        help=f"time a connection has to send its request header, and may stay idle ({HEADER_TIMEOUT:g})",
    )
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS, help=f"connections served at once ({MAX_CONNECTIONS})")
    args = parser.parse_args(argv)
    if args.header_timeout <= 0 or args.max_connections < 1:
        parser.error("--header-timeout and --max-connections must be positive")
    server = make_server(args.directory, args.port, header_timeout=args.header_timeout, max_connections=args.max_connections)
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
