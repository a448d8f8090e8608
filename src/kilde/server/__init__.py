"""The web app for fact-checkers behind ``kilde serve`` (needs the ``server`` extra)."""

from __future__ import annotations

from kilde.server.app import create_app

__all__ = ["create_app"]
