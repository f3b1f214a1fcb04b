"""Markdown for calls, rendered with markdown-it-py and sanitised with nh3.

Raw HTML in the source is escaped by markdown-it ("html": False) and the
output is sanitised again by nh3, so neither scripts nor inline handlers
can reach a page however the text was written.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}


@lru_cache(maxsize=256)
def render(source: str) -> Markup:
    """Safe HTML for ``source``; cached because calls are read far more than written."""
    html = _renderer.render(source)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
