"""The JSON Schema (draft 2020-12) of the ``kilde/1`` output, shipped with the package.

``docs/output-format.md`` explains the format in prose; the schema says the same to a
validator, e.g. with the ``jsonschema`` package::

    import jsonschema, kilde, kilde.schema
    jsonschema.validate(kilde.analyze(text), kilde.schema.json_schema())
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

SCHEMA_FILE = "kilde-1.schema.json"
"""The schema's file name inside the ``kilde`` package."""


def json_schema() -> dict[str, Any]:
    """The ``kilde/1`` JSON Schema as a dict (a fresh copy on every call, free to change)."""
    return json.loads(files("kilde").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def openapi_schema(prefix: str = "kilde1_") -> tuple[dict[str, Any], dict[str, Any]]:
    """The same schema for an OpenAPI 3.1 document: the root, and its definitions as
    ``components/schemas`` entries named ``prefix + name`` (which the root refers to)."""
    schema = json_schema()
    definitions = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)

    def relink(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (
                    value.replace("#/$defs/", f"#/components/schemas/{prefix}")
                    if key == "$ref" and isinstance(value, str)
                    else relink(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [relink(item) for item in node]
        return node

    return relink(schema), {prefix + name: relink(value) for name, value in definitions.items()}


__all__ = ["SCHEMA_FILE", "json_schema", "openapi_schema"]
