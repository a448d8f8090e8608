"""The shapes the HTTP API reads and writes, for validation and for the OpenAPI description."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["nb", "nn", "auto"]


class AnalyzeRequest(BaseModel):
    """A pasted article."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="The article as plain text; paragraphs separated by a blank line.")
    language: Language | None = Field(
        default=None, description="nb (Bokmål), nn (Nynorsk) or auto (the default: detect it)."
    )
    id: str | None = Field(default=None, max_length=200, description="Your id for the article, echoed back.")


class ErrorMessage(BaseModel):
    """Every error answer: one line meant for a person."""

    detail: str = Field(description="What went wrong.")


class Health(BaseModel):
    """Whether the server is up and how busy its analysis workers are."""

    status: Literal["ok"]
    version: str
    workers: int = Field(description="Analysis workers running.")
    busy: int = Field(description="Workers analysing an article right now.")


class Example(BaseModel):
    """A bundled example article."""

    language: Literal["nb", "nn"]
    text: str


class SourceView(BaseModel):
    """One quoted speaker, grouped as in the terminal report of kilde analyze."""

    key: str = Field(description="Identifies the speaker; the values of quote_sources.")
    name: str
    kind: str = Field(description="person, organization, media, document, anonymous or unknown.")
    colour: int | None = Field(description="Colour slot (0–11) of the speaker's quotes; null when unknown.")
    quotes: int
    direct: int
    indirect: int = Field(description="Indirect and mixed quotes.")
    addressees: list[str] = Field(description="To whom the speaker said it.")


class ProvenanceNode(BaseModel):
    """One source in the provenance graph, drawn as a tree from the article down."""

    id: str = Field(description="Unique within the graph: the path of sources from the article to this one.")
    name: str
    kind: str = Field(description="article for the root; else as a speaker's kind.")
    entity: str | None = Field(
        description="The source's entity id; null for the article and unnamed speakers."
    )
    source: str | None = Field(
        description="The key in sources of this source's colour; null for the article."
    )
    depth: int = Field(description="0 for the article, 1 for the sources it cites, and so on.")
    parent: str | None = Field(
        description="The id of the node that cites this one (an edge: 'cites'); null at the root."
    )
    quotes: list[str] = Field(description="The quotes whose chains end at this node.")


class Report(BaseModel):
    """An analysis with the grouping the web page shows."""

    result: dict[str, Any] = Field(description="The kilde/1 object, exactly as /api/analyze returns it.")
    sources: list[SourceView] = Field(description="Quoted speakers, most quoted first.")
    quote_sources: dict[str, str] = Field(description="Quote id → source key.")
    provenance: list[list[str]] = Field(
        description="Chains of reporting from the article to a first-hand source, as names."
    )
    provenance_graph: list[ProvenanceNode] = Field(
        description="Every quote's chain merged into one tree: the article, then who it cites, depth first."
    )


UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "A .txt or .html file (UTF-8, or HTML with a declared charset).",
        },
        "language": {
            "type": "string",
            "enum": ["nb", "nn", "auto"],
            "description": "nb, nn or auto (the default).",
        },
    },
    "required": ["file"],
}
