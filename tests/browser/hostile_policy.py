"""The real policy folder with script in every free-text field: for the whole-site hostile tests.

Every bilingual text (``ja``/``en``: titles, municipality, clauses, headings, notes,
forms, taxonomy, glossary, comparison summaries), every reading, variant and
published marker gets a payload that calls ``alert()`` with the field's path if a
browser ever runs it, and an ``<img>`` whose presence in a page means the data
became markup. IDs, dates and numbers keep their valid values (the loader rejects
anything else, so the site would show nothing to attack), and that the hostile
copy still loads is asserted: a build that renders nothing proves nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from helpers.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT
# Markup in a page built from this data: the <img> tag (HTML-escaped, it reads &lt;img),
# or for markers (at most 10 characters, too short for a script) a <s> tag.
RAW_MARKERS = ('<img src="x-hostile', "<s>")
TEXT_KEYS = ("ja", "en", "reading")
MARKER_MAX = 10


def payload(path: str) -> str:
    return f'<img src="x-hostile" onerror="alert(\'{path}\')"><script>alert("{path}")</script>'


def _inject(value, path: str, key: str | None):
    if isinstance(value, dict):
        return {k: _inject(v, f"{path}.{k}", k) for k, v in value.items()}
    if isinstance(value, list):
        return [_inject(v, f"{path}[{i}]", key) for i, v in enumerate(value)]
    if isinstance(value, str) and key == "marker":
        return ("<s>" + value)[:MARKER_MAX]
    if isinstance(value, str) and (key in TEXT_KEYS or key == "variants"):
        return value + payload(path)
    return value


def write_hostile_policy(target: Path) -> Path:
    """A copy of policy/ at ``target`` with a payload in every free-text field."""
    shutil.copytree(ROOT / "policy", target)
    for path in sorted(target.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = _inject(data, path.stem, None)
        # A national code names one municipality of the list; a hostile name is on no list.
        # The code itself is six digits (the schema), so it carries no payload of its own.
        if isinstance(data, dict):
            data.pop("lg_code", None)
        header = "# yaml-language-server: $schema=schema/policy.schema.json\n"
        path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return target


def assert_loads(policy_dir: Path) -> None:
    """The hostile copy is valid data (else every directive shows an error box, not the data)."""
    from policy_handbook.loader import load_policy

    policy = load_policy(policy_dir, root=policy_dir.parent)
    assert policy.guidelines and all("alert(" in g.municipality.ja for g in policy.guidelines)
