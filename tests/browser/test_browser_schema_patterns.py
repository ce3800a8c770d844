"""The schemas' `pattern`s mean to `make check` what they mean in ECMAScript.

JSON Schema patterns are ECMA-262 regular expressions: editors (VS Code's YAML
extension) and consumers of the JSON API judge values with JavaScript's RegExp.
`make check` must accept exactly what they accept, so that no value passes the
check and then fails the published schema (Python's `$` also matches before a
final newline: "north-1\\n" passed `^[a-z0-9]+(-[a-z0-9]+)*$`). `make check` decides
validity with jsonschema-rs; Chromium's RegExp, with the `u` flag as JSON Schema
validators use it, is the reference.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from helpers.paths import PROJECT_ROOT
from policy_handbook.api import load_schema

ROOT = PROJECT_ROOT
POLICY_SCHEMA = json.loads((ROOT / "policy" / "schema" / "policy.schema.json").read_text(encoding="utf-8"))

PROBES = [
    "", "a", "north-1", "north-1\n", "\nnorth-1", "north-1\r", "north-1\u2028", "north-1 ", "North-1", "north--1",
    "2022-04-01", "2022-04-01\n", "２０２２-04-01", "0942-53-4111", "0942-53-4111\n", "0942\n53", "142", "142\n", "١٤٢",
    "https://www.city.chikugo.lg.jp/a/b.pdf?x=1#p", "https://example.org\n", "HTTPS://EXAMPLE.ORG", "https://", "http://a b",
    "https://例え.jp/ガイド", "https://a/\"><script>", "javascript:alert(1)", "data:text/html,x", "//example.org",
    "sources/x.txt", "sources/x.txt\n", "../x", "sources/../x", "sources/./x", "/etc/passwd", "sources\\x", ".hidden",
    "1.0.0", "1.0.0\n", "1.10.3", "2.0.0", "a" * 64, "0123456789abcdef" * 4, "0123456789abcdef" * 4 + "\n",
]  # fmt: skip


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


ALL_PATTERNS = sorted(set(patterns(POLICY_SCHEMA)) | set(patterns(load_schema())))


def test_both_schemas_have_patterns():
    assert len(ALL_PATTERNS) >= 6


@pytest.fixture(scope="module")
def js_page(browser):
    page = browser.new_page()
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_python_agrees_with_ecmascript(js_page, pattern):
    js = js_page.evaluate("([p, probes]) => probes.map(s => new RegExp(p, 'u').test(s))", [pattern, PROBES])
    check = jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid
    python = [check(s) for s in PROBES]
    disagree = [(s, j, p) for s, j, p in zip(PROBES, js, python) if j != p]
    assert disagree == [], f"{pattern}: (probe, ECMAScript, jsonschema-rs) {disagree}"
    # and every pattern is anchored at the end: a trailing newline never passes
    assert not any(check(s) for s in PROBES if s.endswith("\n"))
