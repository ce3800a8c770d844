"""The extension's configuration: every ``policy_*`` value declared once, in one dataclass.

As sphinx-design's ``SdConfig``: each field of ``PolicyConfig`` is registered as the
flat Sphinx value ``policy_<field>`` (what conf.py and ``-D`` set), with its
default, its types, when a change rebuilds, and a validator. The values are checked
at ``config-inited``, before anything reads them: an invalid one is a warning at
the configuration and its default is used. Code reads them through ``get_config``.

``policy_dir`` is resolved then too, against the directory of conf.py
(``app.confdir``), so ``sphinx-build -c . docs OUT`` and a test root both find their
``policy/`` next to their conf.py, and code that only has the environment
(directives, event handlers) does not need the application.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

logger = logging.getLogger(__name__)

PREFIX = "policy_"
#: Whose pages the JSON API's clause URLs point at (the policyjson builder).
API_PAGES = ("html", "dirhtml", "singlehtml")

Validator = Callable[[str, Any], None]  # (field name, value); raises TypeError or ValueError


def instance_of(*types: type) -> Validator:
    def validate(name: str, value: Any) -> None:
        if not isinstance(value, types):
            expected = " or ".join("None" if t is type(None) else t.__name__ for t in types)
            raise TypeError(f"must be {expected}, not {type(value).__name__} {value!r}")

    return validate


def one_of(allowed: Collection[str]) -> Validator:
    def validate(name: str, value: Any) -> None:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(map(repr, allowed))}, not {value!r}")

    return validate


def _value(default: Any, *types: type, rebuild: str = "env", validator: Validator | None = None, help: str) -> Any:
    """A configuration value: its default, types, what a change rebuilds ("env": every page)."""
    check = validator or instance_of(*types)
    return dc.field(default=default, metadata={"types": frozenset(types), "rebuild": rebuild, "validator": check, "help": help})


@dc.dataclass(frozen=True, slots=True)
class PolicyConfig:
    """The ``policy_*`` values of a build (``policy_<field>`` in conf.py)."""

    dir: str = _value("policy", str, help="the policy folder; relative: to conf.py (absolute once validated)")
    check_cache: str | None = _value(
        None, str, type(None), rebuild="",  # the cache never changes what is loaded (check_cache.py)
        help="`make check`'s cache of parsed files: the build then parses only the changed ones",
    )  # fmt: skip
    api_dir: str | None = _value(
        "", str, type(None),
        help="where the pages' {policy:api} links point, relative to the output directory ('' or None: api/v1)",
    )  # fmt: skip
    api_pages: str = _value(
        "html", str, validator=one_of(API_PAGES),
        help="the builder whose pages the JSON API's clause URLs point at: " + ", ".join(API_PAGES),
    )  # fmt: skip
    situations_written_only: bool = _value(
        False, bool,
        help="a site of many municipalities: situation guides give a part only to guidelines with a written guide",
    )  # fmt: skip
    compare_page: str | None = _value(
        None, str, type(None),
        help="the page of `policy:compare` (national views): prefecture and guideline pages link to it",
    )  # fmt: skip
    comparison_page: str | None = _value(
        "comparison", str, type(None),
        help="the comparison page the compare view points to without JavaScript",
    )  # fmt: skip

    @property
    def policy_dir(self) -> Path:
        return Path(self.dir)


def get_config(config: Config) -> PolicyConfig:
    """The validated ``policy_*`` values of this build."""
    return PolicyConfig(**{f.name: getattr(config, PREFIX + f.name) for f in dc.fields(PolicyConfig)})


def page_language(config: Config) -> str:
    """The language pages are written in: "en" for an English build, else "ja"."""
    language = (config.language or "ja").lower().replace("-", "_")
    return "en" if language == "en" or language.startswith("en_") else "ja"


def _validate(app: Sphinx, config: Config) -> None:
    for f in dc.fields(PolicyConfig):
        name = PREFIX + f.name
        value = getattr(config, name)
        try:
            f.metadata["validator"](name, value)
        except (TypeError, ValueError) as exc:
            logger.warning("%s %s; using the default, %r", name, exc, f.default, type="policy", subtype="config")
            setattr(config, name, f.default)
    policy_dir = Path(config.policy_dir)
    if not policy_dir.is_absolute():
        policy_dir = Path(app.confdir) / policy_dir
    config.policy_dir = str(policy_dir.resolve())
    if config.policy_check_cache:  # read by data.py, which loads the policy through it
        cache = Path(config.policy_check_cache)
        config.policy_check_cache = str(cache if cache.is_absolute() else Path(app.confdir) / cache)


def setup_config(app: Sphinx) -> None:
    for f in dc.fields(PolicyConfig):
        app.add_config_value(PREFIX + f.name, f.default, f.metadata["rebuild"], types=f.metadata["types"], description=f.metadata["help"])
    # Before every other config-inited handler, so that they see valid values.
    app.connect("config-inited", _validate, priority=100)
