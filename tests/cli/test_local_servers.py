"""`make serve` and `make livehtml` answer this machine only (issue 15, item 14).

Each server is started as the Makefile starts it, on a free loopback port;
requests forge the Host header (DNS rebinding: a foreign name resolving to
127.0.0.1) and the Origin of the reload WebSocket (another site's page).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.serve import is_hidden, is_local_host, is_local_origin

ROOT = PROJECT_ROOT
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "extensions"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raw_request(port: int, request: str) -> tuple[int, bytes]:
    """Send a request as written; the status code and the whole response."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode("latin-1"))
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if request.startswith("GET /websocket") and b"\r\n\r\n" in b"".join(chunks):
                break  # a WebSocket stays open after 101
    response = b"".join(chunks)
    return int(response.split(b" ", 2)[1]), response


def get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    return raw_request(port, f"GET {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n")


def websocket_handshake(port: int, origin: str | None, host: str | None = None) -> int:
    origin_line = f"Origin: {origin}\r\n" if origin is not None else ""
    status, _ = raw_request(
        port,
        f"GET /websocket-reload HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"{origin_line}\r\n",
    )
    return status


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited: {proc.communicate()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("the server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


FOREIGN_HOSTS = ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost.evil.example",
                 "127.0.0.2:{port}", "", "localhost:{port}@evil.example"]  # fmt: skip
LOCAL_HOSTS = ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}"]
# A dotfile however the path spells it: both servers refuse all of them (serve.is_hidden).
DOTFILE_PATHS = ["/.buildinfo", "/%2ebuildinfo", "/%2Ebuildinfo", "/_static/../.buildinfo", "/_static/%2e%2e/.buildinfo",
                 "//.buildinfo", "/_static/.buildinfo", "/.buildinfo?x=1", "/.hidden/file.txt", "/.hidden/"]  # fmt: skip


def test_local_names():
    assert all(is_local_host(h.format(port=8000)) for h in LOCAL_HOSTS)
    assert not any(is_local_host(h.format(port=8000)) for h in FOREIGN_HOSTS)
    assert not is_local_host(None) and not is_local_host("localhost\n")
    assert is_local_origin("http://127.0.0.1:8000", 8000) and is_local_origin("http://localhost:8000", 8000)
    assert is_local_origin(None, 8000)  # not a browser
    for origin in ("http://evil.example", "http://evil.example:8000", "null", "http://localhost:9999",
                   "http://localhost:8000.evil.example", "file://", "http://127.0.0.1:8000/\n"):  # fmt: skip
        assert not is_local_origin(origin, 8000), origin


# --- make serve ------------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    """`make serve`'s command on a published-like tree: _build/html a symlink to a snapshot."""
    build = tmp_path / "_build"
    snapshot = build / "site-1"
    (snapshot / "api" / "v1").mkdir(parents=True)
    (snapshot / "index.html").write_text("<p>site one</p>")
    (snapshot / ".buildinfo").write_text("secret-ish build state")
    (snapshot / "api" / "v1" / "policy.json").write_text("{}")
    (snapshot / "api" / "v1" / ".policy-api-x.tmp").write_text("half")
    (snapshot / ".hidden").mkdir()
    (snapshot / ".hidden" / "file.txt").write_text("hidden")
    (snapshot / "_static").mkdir()
    (snapshot / "_static" / ".buildinfo").write_text("secret-ish too")
    (build / "html").symlink_to("site-1")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_handbook.serve", "--port", str(port), str(build / "html")],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    wait_for_port(port, proc)
    yield port, build
    stop(proc)


def test_serve_answers_local_names(served):
    port, _ = served
    for host in LOCAL_HOSTS:
        status, body = get(port, "/", host.format(port=port))
        assert status == 200 and b"site one" in body, host


@pytest.mark.parametrize("host", FOREIGN_HOSTS + [None])
def test_serve_refuses_a_foreign_host(served, host):
    port, _ = served
    status, body = get(port, "/index.html", None if host is None else host.format(port=port))
    assert status in (400, 403), body
    assert b"site one" not in body


def test_serve_neither_lists_nor_serves_dotfiles(served):
    port, _ = served
    host = f"127.0.0.1:{port}"
    status, listing = get(port, "/api/v1/", host)
    assert status == 200 and b"policy.json" in listing
    assert b".policy-api" not in listing
    status, listing = get(port, "/", host)  # the root has an index.html
    for path in ("/api/v1/.policy-api-x.tmp", *DOTFILE_PATHS):
        status, body = get(port, path, host)
        assert status == 404, path
        assert b"secret-ish" not in body and b"half" not in body and b"hidden" not in body.lower().split(b"<body")[0]


def test_serve_follows_the_published_site(served):
    port, build = served
    (build / "site-2").mkdir()
    (build / "site-2" / "index.html").write_text("<p>site two</p>")
    (build / ".html.tmp").symlink_to("site-2")
    os.replace(build / ".html.tmp", build / "html")
    status, body = get(port, "/", f"localhost:{port}")
    assert status == 200 and b"site two" in body


def test_the_makefile_serves_with_these_checks():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    serve_recipe = makefile.split("\nserve:\n", 1)[1].split("\n\n", 1)[0]
    assert "-m policy_handbook.serve" in serve_recipe and "http.server" not in serve_recipe
    livehtml_recipe = makefile.split("\nlivehtml:", 1)[1].split("\n\n", 1)[0]
    assert "-m policy_handbook.site.livehtml" in livehtml_recipe and "--host 127.0.0.1" in livehtml_recipe


# --- make livehtml ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def livehtml(tmp_path_factory):
    """sphinx-autobuild through the wrapper, on a one-page project (no initial build: fast)."""
    project = tmp_path_factory.mktemp("live")
    (project / "conf.py").write_text("")
    (project / "index.rst").write_text("Live\n====\n")
    out = project / "_build"
    out.mkdir()
    (out / "index.html").write_text("<!DOCTYPE html><html><body><p>live page</p></body></html>")
    (out / ".buildinfo").write_text("secret-ish build state")
    (out / "_static").mkdir()
    (out / "_static" / "site.css").write_text("p {}")
    (out / "_static" / ".buildinfo").write_text("secret-ish too")
    (out / ".hidden").mkdir()
    (out / ".hidden" / "file.txt").write_text("hidden")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_handbook.site.livehtml", "--no-initial", "--host", "127.0.0.1",
         "--port", str(port), str(project), str(out)],
        cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    wait_for_port(port, proc)
    yield port
    stop(proc)


def test_livehtml_serves_local_pages_with_the_reload_script(livehtml):
    status, body = get(livehtml, "/index.html", f"127.0.0.1:{livehtml}")
    assert status == 200 and b"live page" in body and b"websocket-reload" in body


@pytest.mark.parametrize("host", FOREIGN_HOSTS[:5])
def test_livehtml_refuses_a_foreign_host(livehtml, host):
    status, body = get(livehtml, "/index.html", host.format(port=livehtml))
    assert status in (400, 403) and b"live page" not in body


def test_livehtml_reload_socket_accepts_its_own_pages(livehtml):
    assert websocket_handshake(livehtml, f"http://127.0.0.1:{livehtml}") == 101
    assert websocket_handshake(livehtml, f"http://localhost:{livehtml}") == 101


@pytest.mark.parametrize("origin", ["http://evil.example", "https://evil.example:{port}", "null", "http://localhost:1"])
def test_livehtml_reload_socket_refuses_a_foreign_origin(livehtml, origin):
    assert websocket_handshake(livehtml, origin.format(port=livehtml)) == 403


def test_livehtml_reload_socket_refuses_a_foreign_host(livehtml):
    status = websocket_handshake(livehtml, f"http://evil.example:{livehtml}", host=f"evil.example:{livehtml}")
    assert status == 403


def test_livehtml_serves_no_dotfiles(livehtml):
    host = f"127.0.0.1:{livehtml}"
    status, body = get(livehtml, "/_static/site.css", host)
    assert status == 200 and b"p {}" in body
    for path in DOTFILE_PATHS:
        status, body = get(livehtml, path, host)
        assert status == 404, path
        assert b"secret-ish" not in body and b"hidden" not in body, path


def test_one_rule_for_dotfiles():
    for path in DOTFILE_PATHS + ["/..", "/a/..%2f.x", "/.%2e/x"]:
        assert is_hidden(path), path
    for path in ("/", "/index.html", "/_static/site.css", "/guidelines/chikugo.html#chikugo-6-3", "/a.b/c",
                 "/search.html?q=.buildinfo", "/%252ebuildinfo"):  # fmt: skip
        assert not is_hidden(path), path


# --- make serve: slow clients ----------------------------------------------------------------


@pytest.fixture
def impatient(served):
    """A second `make serve` on the same site, with a 1 s header timeout and 16 connections at most."""
    _, build = served
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_handbook.serve", "--port", str(port), "--header-timeout", "1",
         "--max-connections", "16", str(build / "html")],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    wait_for_port(port, proc)
    yield port
    stop(proc)


def seconds_until_closed(s: socket.socket, limit: float = 8.0) -> float:
    """How long until the server closes the connection (recv returns nothing); fails past ``limit``."""
    start = time.monotonic()
    s.settimeout(limit)
    try:
        while s.recv(4096):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"the server kept a connection with a partial header open for {limit} s")
    return time.monotonic() - start


def test_serve_closes_a_connection_whose_header_does_not_end(impatient):
    with socket.create_connection(("127.0.0.1", impatient)) as s:
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{impatient}\r\nX-Slow: ".encode())
        assert 0.5 < seconds_until_closed(s) < 5


def test_serve_closes_a_connection_that_sends_its_header_a_byte_at_a_time(impatient):
    """Each byte comes well within the timeout: the header as a whole has 1 s."""
    request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{impatient}\r\nX-Slow: {'a' * 100}\r\n\r\n".encode()
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", impatient)) as s:
        s.settimeout(0.2)
        closed = False
        for byte in request:
            try:
                s.sendall(bytes([byte]))
                if s.recv(4096) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        assert closed, "the whole trickled request was read"
    # The request line alone takes 3.2 s to arrive: the cut comes within it.
    assert time.monotonic() - start < 2.5


def test_serve_an_idle_connection_is_closed_too(impatient):
    with socket.create_connection(("127.0.0.1", impatient)) as s:
        assert 0.5 < seconds_until_closed(s) < 5


def test_held_connections_do_not_stop_a_normal_request(impatient):
    host = f"127.0.0.1:{impatient}"

    def hold(count):
        held = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", impatient))
            s.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\n".encode())
            held.append(s)
        return held

    held = hold(12)  # under the cap: a thread each, and one for the request
    start = time.monotonic()
    status, body = get(impatient, "/", host)
    assert status == 200 and b"site one" in body
    assert time.monotonic() - start < 0.9, "the request waited for the held connections to time out"
    held += hold(60)  # over the cap: the request waits its turn, a few timeouts at most
    start = time.monotonic()
    status, body = get(impatient, "/", host)
    assert status == 200 and b"site one" in body
    assert time.monotonic() - start < 10
    for s in held:
        s.close()
