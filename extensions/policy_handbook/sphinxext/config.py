"""The extension's configuration: one dataclass read from ``app.config``.

``policy_dir`` is resolved once, at ``config-inited``, against the directory of
conf.py (``app.confdir``), so ``sphinx-build -c . docs OUT`` and a test root
both find their ``policy/`` next to their conf.py, and code that only has the
environment (directives, event handlers) does not need the application.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config


@dataclass(frozen=True, slots=True)
class PolicyConfig:
    policy_dir: Path  # absolute
    language: str  # "ja" or "en": the language the pages are written in


def get_config(config: Config) -> PolicyConfig:
    return PolicyConfig(policy_dir=Path(config.policy_dir), language=page_language(config))


def page_language(config: Config) -> str:
    """The language pages are written in: "en" for an English build, else "ja"."""
    language = (config.language or "ja").lower().replace("-", "_")
    return "en" if language == "en" or language.startswith("en_") else "ja"


def _resolve_policy_dir(app: Sphinx, config: Config) -> None:
    policy_dir = Path(config.policy_dir)
    if not policy_dir.is_absolute():
        policy_dir = Path(app.confdir) / policy_dir
    config.policy_dir = str(policy_dir.resolve())
    if config.policy_check_cache:  # read by data.py, which loads the policy through it
        cache = Path(config.policy_check_cache)
        config.policy_check_cache = str(cache if cache.is_absolute() else Path(app.confdir) / cache)


def setup_config(app: Sphinx) -> None:
    # "env": a different policy directory means different page contents.
    app.add_config_value("policy_dir", "policy", "env", types=(str,))
    # Where `make check` caches parsed files: the build then reads only the changed ones.
    # "": the cache never changes what is loaded (check_cache.py), so no rebuild.
    app.add_config_value("policy_check_cache", None, "", types=frozenset({str, type(None)}))
    app.connect("config-inited", _resolve_policy_dir, priority=100)
