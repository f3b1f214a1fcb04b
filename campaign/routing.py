"""URL converters."""

from werkzeug.routing import BaseConverter


class SlugConverter(BaseConverter):
    """Lower-case words joined by hyphens; no dots, so ``/<slug>.json`` is never ambiguous."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"
