"""Write a Pagefind bundle from custom records, through the pinned Pagefind binary's service mode.

Pagefind's Python package (``pagefind.index.PagefindIndex``) speaks the same
protocol, but its reader sleeps 0.1 s before every response it reads: at ~100,000
records (one per clause of 1,741 municipalities) that is hours, so it is not used. Here the requests
are streamed from a thread while the responses are read as they come, so the cost
is the binary's own. The protocol is the package's: each message is base64 of a
JSON object ``{"message_id", "payload"}`` followed by a comma, both ways.

The binary comes from the pinned ``pagefind-bin`` wheel: nothing is downloaded at
build time. The bundle is asked for in memory (GetFiles) and written here: the
service's own WriteFiles answers before its writes reach the disk (Pagefind 1.5
writes through tokio files it never flushes), and a build once published an empty
pagefind-entry.json, another an empty wasm.unknown.pagefind.

Not the "extended" binary: it segments Chinese and Japanese again with
ICU, even in records of no language, and split some of the project's bigrams
(れた became れ + た, so 乗っ取られた no longer found its situation guide).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any


class PagefindError(RuntimeError):
    pass


def executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise PagefindError("no Pagefind binary: install requirements/build.txt (pagefind-bin)") from None
    return Path(get_executable())


def _encode(message_id: int, payload: dict[str, Any]) -> bytes:
    body = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
    return base64.b64encode(body.encode("utf-8")) + b","


def _read_message(stream) -> dict[str, Any]:
    data = _read_until_comma(stream)
    return json.loads(base64.b64decode(data[:-1]))


def _read_until_comma(stream) -> bytes:
    out = bytearray()
    while True:
        peek = stream.peek(1)
        if not peek:
            raise PagefindError("the Pagefind service stopped in the middle of an answer")
        end = peek.find(b",")
        if end >= 0:
            out += stream.read(end + 1)
            return bytes(out)
        out += stream.read(len(peek))


def write_bundle(records: Iterable[dict[str, Any]], out_dir: Path, extra: Callable[[Path], None] | None = None) -> int:
    """Index `records` (AddRecord payloads without index_id: url, content, language,
    meta, filters) in their order and replace `out_dir` with the bundle, after
    `extra` (if given) has written its own files into the new bundle's folder.
    Returns the number of records. The old bundle stays until the new one is complete."""
    out_dir = Path(out_dir)
    proc = subprocess.Popen([str(executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdin = proc.stdin
    assert stdin is not None  # stdin=PIPE
    try:
        stdin.write(_encode(1, {"type": "NewIndex", "config": {}}))
        stdin.flush()
        created = _answer(proc, 1, "NewIndex")
        index_id = created["index_id"]
        failure: list[BaseException] = []
        # Sent as they come (a national site's records must never be in memory at once);
        # each one's URL is kept for a message, and the reader learns the count at the end.
        urls: list[str] = []

        def send() -> None:
            try:
                for record in records:
                    urls.append(record["url"])
                    stdin.write(_encode(len(urls) + 1, {"type": "AddRecord", "index_id": index_id, "sort": None, **record}))
                stdin.write(_encode(len(urls) + 2, {"type": "GetFiles", "index_id": index_id}))
                stdin.flush()
            except BaseException as exc:  # noqa: BLE001 - reported by the reader below
                failure.append(exc)
                stdin.close()  # the service stops: the reader is not left waiting for an answer

        writer = threading.Thread(target=send, daemon=True)
        writer.start()
        errors = []
        message_id = 2
        files: list[dict[str, Any]] = []
        while True:  # the service answers in order (as pagefind.service assumes)
            if failure:
                break
            try:
                payload = _next_answer(proc, message_id)
            except PagefindError as exc:
                if failure:
                    break
                errors.append(f"{urls[message_id - 2] if message_id - 2 < len(urls) else 'writing'}: {exc}")
                if len(errors) >= 10:
                    break
                message_id += 1
                continue
            if payload.get("type") == "GetFiles":
                files = payload.get("files") or []
                break
            if payload.get("type") != "IndexedFile":
                raise PagefindError(f"Pagefind answered {payload.get('type')} #{message_id}, expected IndexedFile or GetFiles")
            message_id += 1
        if errors:
            raise PagefindError("; ".join(errors))
        writer.join()
        if failure:
            raise PagefindError(f"writing to the Pagefind service failed: {failure[0]}")
        stdin.close()
        proc.wait(timeout=30)
        tmp = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=out_dir.parent))
        _write_files(files, tmp)
        if extra is not None:
            extra(tmp)
        old = out_dir.with_name(out_dir.name + ".old")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
        return len(urls)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for leftover in out_dir.parent.glob(".pagefind-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _write_files(files: list[dict[str, Any]], bundle: Path) -> None:
    """Write the service's in-memory bundle (paths relative to the bundle, contents
    base64) under `bundle`, a fresh directory; a path that would leave it is refused."""
    if not any(file.get("path") == "pagefind-entry.json" for file in files):
        raise PagefindError("Pagefind's bundle has no pagefind-entry.json")
    for file in files:
        relative = PurePosixPath(str(file.get("path", "")))
        if relative.is_absolute() or not relative.parts or ".." in relative.parts:
            raise PagefindError(f"Pagefind returned a file outside its bundle: {relative}")
        target = bundle.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as out:  # a fresh directory: a file already there is an error
            out.write(base64.b64decode(file.get("content", "")))


def _next_answer(proc: subprocess.Popen, message_id: int) -> dict[str, Any]:
    """The service's answer to ``message_id`` (an Error answer raised)."""
    message = _read_message(proc.stdout)
    payload = message.get("payload", {})
    if payload.get("type") == "Error":
        raise PagefindError(f"Pagefind: {payload.get('message')}")
    if message.get("message_id") != message_id:
        raise PagefindError(f"Pagefind answered #{message.get('message_id')}, expected #{message_id}")
    return payload


def _answer(proc: subprocess.Popen, message_id: int, expected: str) -> dict[str, Any]:
    message = _read_message(proc.stdout)
    payload = message.get("payload", {})
    if payload.get("type") == "Error":
        raise PagefindError(f"Pagefind: {payload.get('message')}")
    if message.get("message_id") != message_id or payload.get("type") != expected:
        raise PagefindError(f"Pagefind answered {payload.get('type')} #{message.get('message_id')}, expected {expected} #{message_id}")
    return payload
