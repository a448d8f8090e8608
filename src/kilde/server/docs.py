"""``/docs``: the OpenAPI description rendered as one plain HTML page.

FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN, which kilde must not use
(it runs offline, and the Content-Security-Policy allows only its own files). This page is built
on the server from the same OpenAPI object that ``/openapi.json`` serves, with every value escaped,
and needs no script at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

_METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: Mapping[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return str(ref).rsplit("/", 1)[-1] if ref else None


def _type_of(schema: Mapping[str, Any]) -> str:
    """A short human-readable type: ``string``, ``array of Span``, ``nb | nn | auto``, ``AnalyzeRequest``."""
    name = _ref_name(schema)
    if name:
        return name
    if "enum" in schema:
        return " | ".join(json.dumps(value) for value in schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(_type_of(option) for option in schema[key])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    if schema.get("format") == "binary":
        return "file"
    return str(kind)


def _properties_table(schema: Mapping[str, Any]) -> str:
    properties = schema.get("properties") or {}
    if not properties:
        return f"<p class='doc-type'>{escape(_type_of(schema))}</p>"
    required = set(schema.get("required") or [])
    rows = []
    for name, spec in properties.items():
        flag = "required" if name in required else "optional"
        description = spec.get("description") or spec.get("title") or ""
        rows.append(
            f"<tr><td><code>{escape(name)}</code></td><td>{escape(_type_of(spec))}</td>"
            f"<td>{flag}</td><td>{escape(description)}</td></tr>"
        )
    return (
        "<table class='doc-table'><thead><tr><th>field</th><th>type</th><th></th><th>meaning</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _anchor(method: str, path: str) -> str:
    return escape(method + path.replace("/", "-"))


def _resolve(schema: Mapping[str, Any], components: Mapping[str, Any]) -> Mapping[str, Any]:
    name = _ref_name(schema)
    return components.get(name, schema) if name else schema


def _operation(path: str, method: str, operation: Mapping[str, Any], components: Mapping[str, Any]) -> str:
    summary = escape(operation.get("summary", ""))
    parts = [
        f"<section class='doc-op' id='{_anchor(method, path)}'>",
        f"<h3><span class='doc-method doc-{escape(method)}'>{escape(method.upper())}</span> "
        f"<code>{escape(path)}</code> <span class='doc-summary'>{summary}</span></h3>",
    ]
    if operation.get("description"):
        paragraphs = str(operation["description"]).split("\n\n")
        parts.extend(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    parameters = operation.get("parameters") or []
    if parameters:
        parts.append("<h4>Parameters</h4><ul>")
        for parameter in parameters:
            kind = _type_of(parameter.get("schema", {}))
            parts.append(
                f"<li><code>{escape(parameter.get('name', ''))}</code> ({escape(parameter.get('in', ''))}, "
                f"{escape(kind)}) {escape(parameter.get('description', ''))}</li>"
            )
        parts.append("</ul>")
    body = operation.get("requestBody") or {}
    for media, content in (body.get("content") or {}).items():
        parts.append(f"<h4>Request body <code>{escape(media)}</code></h4>")
        parts.append(_properties_table(_resolve(content.get("schema", {}), components)))
    parts.append("<h4>Responses</h4><table class='doc-table'><tbody>")
    for status, response in (operation.get("responses") or {}).items():
        parts.append(
            f"<tr><td><code>{escape(str(status))}</code></td>"
            f"<td>{escape(response.get('description', ''))}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def render_docs(openapi: Mapping[str, Any]) -> str:
    """The whole ``/docs`` page for an OpenAPI object."""
    info = openapi.get("info") or {}
    components = (openapi.get("components") or {}).get("schemas") or {}
    title = f"{info.get('title', 'API')} {info.get('version', '')}".strip()
    operations = []
    index = []
    for path, item in (openapi.get("paths") or {}).items():
        for method in _METHODS:
            if method in item:
                index.append(
                    f"<li><a href='#{_anchor(method, path)}'><span class='doc-method doc-{escape(method)}'>"
                    f"{escape(method.upper())}</span> <code>{escape(path)}</code></a></li>"
                )
                operations.append(_operation(path, method, item[method], components))
    schemas = "".join(
        f"<section class='doc-op' id='schema-{escape(name)}'><h3><code>{escape(name)}</code></h3>"
        f"<p>{escape(schema.get('description', ''))}</p>{_properties_table(schema)}</section>"
        for name, schema in components.items()
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} – API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="docs">
<header class="topbar"><div class="topbar-inner">
<a class="brand" href="/"><span class="brand-mark">k</span> kilde</a>
<span class="tagline">API reference</span>
<nav class="topnav"><a href="/">Web app</a><a href="/openapi.json">openapi.json</a></nav>
</div></header>
<main class="docs-main">
<h1>{escape(title)}</h1>
<p>{escape(info.get("description", ""))}</p>
<p>The machine-readable description is at <a href="/openapi.json"><code>/openapi.json</code></a>.</p>
<h2>Endpoints</h2><ul class="doc-index">{"".join(index)}</ul>
{"".join(operations)}
<h2>Schemas</h2>
{schemas}
</main>
</body>
</html>
"""
