"""What one search costs a phone: requests, bytes and time, two-city site against the national one.

    .venv/bin/python bench/search.py                 # two-city site only (the search table and Sphinx's search)
    .venv/bin/python bench/search.py --national      # also 1,741 municipalities (builds it: minutes)
    .venv/bin/python bench/search.py --national --count 40 --work /tmp/s   # a small national site, kept

Each site is built as `make html` builds it (ja and en at once, one sphinx-build each).
The two-city site is built twice: as published (the search table, policy_handbook.site.search_index)
and with ``-D policy_search_index=0``, which is Sphinx's own search as the site had it
before (searchindex.js, snippets cut from each result page). The national site is
built once, as published; its index build time is the one the build logs
("search index: written in X s") against the whole build's wall-clock.

Every site is measured twice: served as files are (python's http.server, what the
issue measured) and gzip-compressed as a static host serves text ("kB gzip-served").
Each query is typed, three times (the median run is reported), into a fresh browser context (empty cache) as the address
search.html?q=… on http://127.0.0.1, headless Chromium at 390x844 px: requests and
bytes (bodies + headers) are counted from opening the page until the result list is
complete (its summary line is filled and the network has been idle for 0.5 s, so
Sphinx's snippet fetches are in); "first" is the time until the first result is in
the list (a link or a topic's count), "done" until the list is complete: its summary
filled and its last request finished, whichever is later. Both are taken in the page
(performance.now(), from the start of the navigation; since 2026-12-08 04:25: a
watcher in Playwright saw them up to 0.25 s late on the emulated network).

The two-city comparison is also made on a phone's network: Lighthouse's mobile
profile ("Slow 4G": 150 ms round trip, 1.6 Mbps down, 750 kbps up, Chromium's own
network emulation), served gzip-compressed. On 127.0.0.1 a query's time is the
browser's work alone, which favours the script that downloads most and computes
least; on the phone's network the bytes count as they do for a reader.

Used by bench/run.py --national (one line) and on its own; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (bench/generate.py)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
QUERIES = [("ja", "乗っ取り"), ("ja", "炎上"), ("ja", "著作権"), ("ja", "個人情報"), ("en", "hijacked")]
MAX_KB, MAX_REQUESTS = 300, 40  # per query at 1,741 (issue 24)
# Lighthouse's mobile throttling (Chromium DevTools' "Slow 4G"), for Network.emulateNetworkConditions.
REPEATS = 3  # runs of each query; the median is reported
PHONE_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_638_400 / 8, "uploadThroughput": 750_000 / 8}
_INDEX_LINE = re.compile(r"search index: written in ([\d.]+) s")


@dataclass
class Query:
    lang: str
    query: str
    requests: int
    kb: float
    first: float | None  # s to the first result
    done: float  # s to the complete list
    results: int  # links in the list
    summary: str


def build(project: Path, out: Path, extra: list[str] = ()) -> tuple[float, list[float]]:
    """`make html` (ja and en at once) into out/{ja,en}; wall-clock s and each process's index time."""
    env = dict(os.environ, PYTHONPATH=str(project / "extensions"))
    logs, procs = [], []
    start = time.perf_counter()
    for lang in ("ja", "en"):
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        cmd = [sys.executable, "-m", "sphinx", "-c", ".", "-W", "--keep-going", "-b", "html", "-D", f"language={lang}",
               *extra, "-d", str(out.parent / f"doctrees-{out.name}" / lang), "docs", str(out / lang)]  # fmt: skip
        procs.append(subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT))
        logs.append(log)
    codes = [p.wait() for p in procs]
    wall = time.perf_counter() - start
    index_times = []
    for code, log in zip(codes, logs):
        log.seek(0)
        text = log.read()
        if code != 0:
            raise SystemExit(f"build of {project} failed:\n" + "\n".join(text.splitlines()[-15:]))
        index_times += [float(m.group(1)) for m in _INDEX_LINE.finditer(text)]
    return wall, index_times


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# What a static host (GitHub Pages, nginx's gzip_static…) compresses; the search
# table's files (.gz) are gzip already.
_TEXT = (".html", ".js", ".css", ".json", ".svg")


class _Gzip(_Quiet):
    """Serves text gzip-compressed when the browser asks for it, as a real host does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.name.endswith(_TEXT) or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        import gzip
        import io

        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def measure(
    site: Path, queries: list[tuple[str, str]], timeout: float = 300, gzip: bool = False, network: dict | None = None
) -> list[Query]:
    from playwright.sync_api import sync_playwright

    handler = _Gzip if gzip else _Quiet
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            for lang, query in queries:
                # The median of REPEATS fresh contexts: one run's time swings by 2x on a shared machine.
                runs = sorted((_one(browser, base, lang, query, timeout, network) for _ in range(REPEATS)), key=lambda q: q.done)
                out.append(runs[len(runs) // 2])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


# A result: a link, or a topic's count of municipalities (a large list may have no
# link); the summary line is filled when the list is complete.
_TIMING = """
performance.setResourceTimingBufferSize(100000);
new MutationObserver(() => {
  if (window.__first === undefined && document.querySelector("#search-results ul.search li, #search-results .policy-search-topic"))
    window.__first = performance.now();
  const summary = document.querySelector("#search-results p.search-summary");
  if (window.__summary === undefined && summary && summary.textContent.trim()) window.__summary = performance.now();
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _one(browser, base: str, lang: str, query: str, timeout: float, network: dict | None = None) -> Query:
    context = browser.new_context(viewport=PHONE, locale="ja-JP" if lang == "ja" else "en-US")
    page = context.new_page()
    if network is not None:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    # Times are taken in the page (performance.now(), from the navigation's start): a
    # watcher in Playwright sees a new element up to 0.25 s late on the emulated network.
    page.add_init_script(_TIMING)
    page.goto(f"{base}{lang}/search.html?q={urllib.parse.quote(query)}", wait_until="commit")
    # The summary comes after the results (with no result, __first stays unset).
    page.wait_for_function("() => window.__summary !== undefined", timeout=timeout * 1000)
    page.wait_for_load_state("networkidle", timeout=timeout * 1000)
    times = page.evaluate(
        "() => [window.__first ?? null, window.__summary, Math.max(0, ...performance.getEntriesByType('resource').map((e) => e.responseEnd))]"
    )
    first = times[0] / 1000 if times[0] is not None else None
    # The list is complete when its summary is filled and its last request is in (Sphinx's
    # snippets come after its summary).
    done = max(times[1], times[2]) / 1000
    size = 0
    for request in finished:
        sizes = request.sizes()
        size += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    results = page.locator("#search-results ul.search li > a").count()
    summary = page.inner_text("#search-results p.search-summary")
    context.close()
    return Query(lang, query, len(finished), size / 1000, first, done, results, summary)


def table(rows: dict[str, list[Query]], gz: dict[str, list[Query]]) -> str:
    lines = ["| site | query | requests | kB | kB gzip-served | first result | list complete | links |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for site, queries in rows.items():
        for q, z in zip(queries, gz.get(site, [None] * len(queries))):
            first = f"{q.first:.2f} s" if q.first is not None else "—"
            zkb = f"{z.kb:,.0f}" if z else "—"
            lines.append(
                f"| {site} | {q.query} ({q.lang}) | {q.requests:,} | {q.kb:,.0f} | {zkb} | {first} | {q.done:.2f} s | {q.results:,} |"
            )
    return "\n".join(lines)


def bench(work: Path, national: int | None, report=None) -> str:
    """Build and measure; with `report` (bench/run.py's Report) the rows and targets go there too."""
    from run import copy_project  # bench/run.py (which imports this module at its top)

    two = copy_project(work / "two-city")
    rows: dict[str, list[Query]] = {}
    targets: list[tuple[str, bool, str]] = []
    wall_pf, _ = build(two, two / "_build" / "table")
    wall_sx, _ = build(two, two / "_build" / "sphinx", ["-D", "policy_search_index=0"])
    print(f"two-city builds: {wall_pf:.1f} s (search table), {wall_sx:.1f} s (Sphinx search)", flush=True)
    gz: dict[str, list[Query]] = {}
    rows["two cities, Sphinx search"] = measure(two / "_build" / "sphinx", QUERIES)
    rows["two cities, search table"] = measure(two / "_build" / "table", QUERIES)
    gz["two cities, Sphinx search"] = measure(two / "_build" / "sphinx", QUERIES, gzip=True)
    gz["two cities, search table"] = measure(two / "_build" / "table", QUERIES, gzip=True)
    slow = "two cities on a phone network (Slow 4G, gzip-served), "
    rows[slow + "Sphinx search"] = measure(two / "_build" / "sphinx", QUERIES, gzip=True, network=PHONE_NETWORK)
    rows[slow + "search table"] = measure(two / "_build" / "table", QUERIES, gzip=True, network=PHONE_NETWORK)
    for where, old_rows, new_rows in (
        ("127.0.0.1", rows["two cities, Sphinx search"], rows["two cities, search table"]),
        ("phone network", rows[slow + "Sphinx search"], rows[slow + "search table"]),
    ):
        for old, new in zip(old_rows, new_rows):
            ok = new.kb <= old.kb and new.done <= old.done
            targets.append((f"two cities ({where}), {new.query}: payload and time no worse than Sphinx's search", ok,
                            f"{new.kb:,.0f} vs {old.kb:,.0f} kB, {new.done:.2f} vs {old.done:.2f} s"))  # fmt: skip
    if national:
        project = generate.generate_project(national, work / f"national-{national}")
        wall, index_times = build(project, project / "_build" / "html")
        index = max(index_times) if index_times else float("nan")
        print(f"national build ({national:,}): {wall:.1f} s wall; index {index_times} s", flush=True)
        targets.append((f"index build <= 10% of the HTML build at {national:,}", index <= 0.1 * wall,
                        f"{index:.1f} s (slower language) of {wall:.1f} s wall ({index / wall:.1%})"))  # fmt: skip
        name = f"{national:,} municipalities, search table"
        rows[name] = measure(project / "_build" / "html", QUERIES)
        gz[name] = measure(project / "_build" / "html", QUERIES, gzip=True)
        for small, big, zbig in zip(rows["two cities, search table"], rows[name], gz[name]):
            targets.append((f"{national:,}: {big.query} <= {MAX_KB} kB and <= {MAX_REQUESTS} requests",
                            big.kb <= MAX_KB and big.requests <= MAX_REQUESTS,
                            f"{big.kb:,.0f} kB ({zbig.kb:,.0f} kB served gzip), {big.requests} requests"))  # fmt: skip
            if small.first and big.first:
                targets.append((f"{national:,}: {big.query} first result <= 2x the two-city site", big.first <= 2 * small.first,
                                f"{big.first:.2f} vs {small.first:.2f} s ({big.first / small.first:.2f}x)"))  # fmt: skip
    text = table(rows, gz) + "\n\n" + "\n".join(f"- {'PASS' if ok else 'FAIL'} {name}: {detail}" for name, ok, detail in targets)
    if report is not None:
        for name, ok, detail in targets:
            report.target(f"search: {name}", ok, detail)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national", action="store_true", help=f"also the national site ({generate.NATIONAL:,})")
    parser.add_argument("--count", type=int, default=generate.NATIONAL, help="municipalities of the national site")
    parser.add_argument("--work", type=Path, help="work here and keep it (default: a tmp dir, removed)")
    args = parser.parse_args(argv)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="policy-bench-search-", dir=args.work) as tmp:
        print(bench(Path(tmp), args.count if args.national else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
