"""Check the links of a built output tree: every internal href/src must land on a
file (and anchor) that exists inside the tree.

Used by the builder tests (html, dirhtml, singlehtml, unzipped epub). Links with
a scheme (https:, mailto:…) are deliberate external links and are not followed;
a relative link that climbs out of the tree is broken (for an EPUB it would
leave the book).
"""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

PAGE_SUFFIXES = (".html", ".xhtml")
# Attributes holding a URL, by element (srcset-style lists are not used by the site).
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
    "form": "action",
    "use": "href",
}


@cache
def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html.parser")


@cache
def _anchors(path: Path) -> frozenset[str]:
    soup = _soup(path)
    ids = {el["id"] for el in soup.find_all(id=True)}
    ids |= {el["name"] for el in soup.find_all("a", attrs={"name": True})}
    return frozenset(ids)


def page_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file())


def links_of(page: Path):
    """(element name, URL) of every link in a page."""
    for tag, attribute in LINK_ATTRIBUTES.items():
        for element in _soup(page).find_all(tag):
            value = element.get(attribute) or element.get("xlink:href")
            if value is not None:
                yield tag, value.strip()


def broken_links(root: Path, pages: list[Path] | None = None) -> list[str]:
    """'page: url (why)' for every internal link of `pages` (default: every page under root) that does not resolve."""
    root = root.resolve()
    problems = []
    for page in pages if pages is not None else page_files(root):
        page = page.resolve()
        for tag, url in links_of(page):
            why = _why_broken(root, page, tag, url)
            if why:
                problems.append(f"{page.relative_to(root)}: {url} ({why})")
    return problems


def _why_broken(root: Path, page: Path, tag: str, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None if parts.scheme in ("http", "https", "mailto", "tel", "data") else "unexpected scheme"
    if not parts.path:
        target = page
    else:
        if parts.path.startswith("/"):
            return "absolute path"
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page.relative_to(root).as_posix()), unquote(parts.path)))
        if joined == ".." or joined.startswith("../"):
            return "leaves the output"
        target = root / joined
        if target.is_dir() or parts.path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            return "no such file"
    if parts.fragment and target.suffix in PAGE_SUFFIXES:
        # furo's sprite (#svg-…) is an inline <svg> <symbol id> on the same page: an id too.
        if unquote(parts.fragment) not in _anchors(target):
            return "no such anchor"
    return None
