"""A freshly imported guideline in the handbook, as a policy owner previews it in Chromium.

The README's "Adding a municipality" steps on a copy of the project: import a
published text (柳川市's, under another ID, so it has notes, sections and forms
kept as printed text), give it a page in the toctree, `make check -W`, build
both languages with `make html`'s commands. The draft's page must then be as
usable as a reviewed one: axe-clean, no console error, the pending translation
marked as Japanese on the English site, the suggested labels shown as
suggestions, nothing scrolling sideways on a phone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .pagecheck import PHONE, ROOT, axe_violations, horizontal_overflow, unmarked_language
from .sitebuild import LocalServer, build_html

pytestmark = pytest.mark.browser

DRAFT = "kurume"
TITLE = "久留米市ソーシャルメディア利用ガイドライン"
PAGE = f"""# {TITLE}

```{{policy:guideline}} {DRAFT}
```
"""


def run_cli(project, *args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT / "extensions"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "policy_handbook", *args], cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("draft-project")
    shutil.copy(ROOT / "conf.py", project / "conf.py")
    for folder in ("docs", "policy"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "extensions").symlink_to(ROOT / "extensions", target_is_directory=True)
    source = project / "policy" / "sources" / "yanagawa-social-media-guideline.txt"
    imported = run_cli(project, "import", str(source), "--id", DRAFT, "--municipality", "久留米市", "--prefecture", "福岡県")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    (project / "docs" / "guidelines" / f"{DRAFT}.md").write_text(PAGE, encoding="utf-8")
    # The page's title in English, as `make gettext` and a translator leave it (README step 4).
    catalog = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "{TITLE}"\nmsgstr "Kurume City social media guideline"\n'
    (project / "docs" / "locales" / "en" / "LC_MESSAGES" / "guidelines" / f"{DRAFT}.po").write_text(catalog, encoding="utf-8")
    index = project / "docs" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("guidelines/yanagawa\n", f"guidelines/yanagawa\nguidelines/{DRAFT}\n", 1),
        encoding="utf-8",
    )
    # `make html` runs `check -W` first: a draft (no department, no scope, nothing translated) must pass it.
    checked = run_cli(project, "check", "-W", "policy")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{DRAFT}: 37 clauses await translation" in checked.stdout
    out = tmp_path_factory.mktemp("draft-html")
    build_html(project, out, tmp_path_factory.mktemp("draft-doctrees"))
    server = LocalServer(out)
    yield server.url
    server.stop()


@pytest.fixture
def phone(browser, draft_site):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ja-JP")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_draft_page_is_accessible_and_says_what_is_pending(phone, draft_site, lang):
    phone.goto(f"{draft_site}{lang}/guidelines/{DRAFT}.html", wait_until="load")
    assert phone.locator(f"#{DRAFT}-1").count() == 1, "the draft's first clause is not on its page"
    assert axe_violations(phone) == []
    assert unmarked_language(phone, lang) == []
    assert phone.errors == []
    assert not horizontal_overflow(phone), "the draft's page scrolls sideways on a 390 px phone"
    suggested = phone.locator(".policy-suggested-topics")
    assert suggested.count() >= 1 and suggested.first.is_visible(), "suggested topics are not shown"
    if lang == "en":
        pending = phone.locator(f'#{DRAFT}-1 [lang="ja"]')
        assert pending.count() >= 1, "the untranslated clause is not marked as Japanese on the English site"
