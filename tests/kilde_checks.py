"""Checks that several test modules share: is a result a valid ``kilde/1`` object?

``assert_valid_kilde`` validates against the JSON Schema that ships with the package
(``kilde.schema.json_schema()``), so tests check the same contract that users read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

from kilde.schema import json_schema

MAX_ERRORS_SHOWN = 20


@cache
def kilde_validator() -> jsonschema.Draft202012Validator:
    """A validator for the packaged schema (checked once to be a valid draft 2020-12 schema)."""
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def kilde_errors(result: Any) -> list[str]:
    """Every way ``result`` breaks the schema, one line each (``path: message``); empty when valid."""
    errors = sorted(kilde_validator().iter_errors(result), key=lambda error: [str(p) for p in error.path])
    lines = []
    for error in errors:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        message = error.message if len(error.message) <= 200 else error.message[:200] + " …"
        lines.append(f"{where}: {message}")
    return lines


def assert_valid_kilde(result: dict) -> None:
    """Fail with every schema violation listed when ``result`` is not a valid ``kilde/1`` object."""
    errors = kilde_errors(result)
    if errors:
        shown = "\n  ".join(errors[:MAX_ERRORS_SHOWN])
        more = f"\n  … and {len(errors) - MAX_ERRORS_SHOWN} more" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise AssertionError(f"not a valid kilde/1 object ({len(errors)} errors):\n  {shown}{more}")


__all__ = ["assert_valid_kilde", "kilde_errors", "kilde_validator"]
