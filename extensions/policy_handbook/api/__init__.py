"""The published JSON API schema (``policy.schema.json``), shipped as package data.

The schema file is the single source of the API's version: its
``x-schema-version`` annotation is what every exported file states as
``schema_version``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_FILENAME = "policy.schema.json"


def schema_bytes() -> bytes:
    """The packaged schema file (the build publishes it with the taxonomy's IDs
    filled in: policy_handbook.export.published_schema)."""
    return files(__name__).joinpath(SCHEMA_FILENAME).read_bytes()


@cache
def _schema_text() -> str:
    return schema_bytes().decode("utf-8")


def load_schema() -> dict[str, Any]:
    """A fresh copy of the schema as a dict (callers may modify it)."""
    return json.loads(_schema_text())


@cache
def schema_version() -> str:
    """'1.0.0': the semantic version the schema file declares."""
    return load_schema()["x-schema-version"]
