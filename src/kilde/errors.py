"""kilde's one exception for input it cannot analyse.

It lives apart from the package ``__init__`` so that every module (the pipeline, the
readers in ``io/``, the corpus runner, the server) can import it without importing the
package's public API back.
"""

from __future__ import annotations


class KildeError(ValueError):
    """Input that kilde cannot analyse; the message is one line meant for the user."""


__all__ = ["KildeError"]
