"""The world map of a call's governments, drawn on the server as inline SVG.

The country shapes are Natural Earth's (public domain), projected once by
``bin/world-map`` into ``world_110m.json`` beside this module and read once
per process. The map is an image to assistive technology (``role="img"``
with a title and a description); the scoreboard's table beside it says the
same for every government. Each state has its colour, darker than the grey
of other countries and of the page by at least 3:1, and its own pattern
(lines, stripes, dots, cross-hatching or solid), so no state is told by
colour alone; addressed countries are also outlined.

Colours and patterns are SVG presentation attributes, which the
Content-Security-Policy allows (it refuses style attributes and elements).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from .scoreboard import State

SHAPES_FILE = Path(__file__).with_name("world_110m.json")

LAND = "#dde1e4"
BORDER = "#ffffff"
OUTLINE = "#0b0c0c"
PATTERN_SIZE = 8

# Each state: its colour, and the white marks drawn over it in one pattern tile.
COLOURS = {
    State.COLLECTING: "#4a78a8",
    State.READY: "#a35a00",
    State.DELIVERED: "#5e3c99",
    State.NO_REPLY: "#b2182b",
    State.RESPONDED: "#1b7837",
}
_MARKS = {
    State.COLLECTING: '<rect y="6" width="8" height="1.5"/>',  # thin lines
    State.READY: '<rect width="3" height="8"/>',  # stripes (the tile is turned)
    State.DELIVERED: '<circle cx="4" cy="4" r="1.6"/>',  # dots
    State.NO_REPLY: '<rect width="1.5" height="8"/><rect width="8" height="1.5"/>',  # hatching
    State.RESPONDED: "",  # solid
}
_TURNED = {State.READY, State.NO_REPLY}


@dataclass(frozen=True)
class Shapes:
    width: int
    height: int
    countries: dict[str, str]


# What bin/world-map writes: country codes, and paths of moves, lines and closes.
_CODE = re.compile(r"[A-Z]{2}")
_PATH = re.compile(r"[Mlz0-9 -]*")


@cache
def shapes() -> Shapes:
    """The country shapes, read once per process (and checked, as they go into the page
    unescaped)."""
    data = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    countries = data["countries"]
    if not all(_CODE.fullmatch(code) and _PATH.fullmatch(d) for code, d in countries.items()):
        raise ValueError(f"{SHAPES_FILE} holds more than country codes and paths")
    return Shapes(width=int(data["width"]), height=int(data["height"]), countries=countries)


def drawn(code: str) -> bool:
    """Whether the map has a shape for this country (the smallest are not at 1:110m)."""
    return code in shapes().countries


def pattern_id(state: State) -> str:
    return f"gov-map-{state.value.replace('_', '-')}"


@cache
def _patterns() -> str:
    tiles = []
    for state in State:
        turned = ' patternTransform="rotate(45)"' if state in _TURNED else ""
        tiles.append(
            f'<pattern id="{pattern_id(state)}" width="{PATTERN_SIZE}" height="{PATTERN_SIZE}"'
            f' patternUnits="userSpaceOnUse"{turned}>'
            f'<rect width="{PATTERN_SIZE}" height="{PATTERN_SIZE}" fill="{COLOURS[state]}"/>'
            f'<g fill="#ffffff" fill-opacity="0.6">{_MARKS[state]}</g></pattern>'
        )
    return "<defs>" + "".join(tiles) + "</defs>"


@lru_cache(maxsize=256)
def _base(addressed: frozenset[str]) -> str:
    """Every country the call does not address, as one grey path (kept per set of
    addressed countries: a call's set rarely changes)."""
    paths = "".join(d for code, d in shapes().countries.items() if code not in addressed)
    return (
        f'<path class="gov-map__land" fill="{LAND}" stroke="{BORDER}" stroke-width="0.5"'
        f' d="{paths}"/>'
    )


def world_map(
    states: dict[str, State], labels: dict[str, str], title: str, description: str
) -> Markup:
    """The map: ``states`` by country code, ``labels`` the tooltip of each addressed
    country ("France: no reply"), ``title`` and ``description`` what assistive
    technology reads (the page's language)."""
    world = shapes()
    countries = []
    for code, state in sorted(states.items()):
        if code not in world.countries:
            continue
        countries.append(
            f'<path class="gov-map__country gov-map__country--{state.value}"'
            f' data-code="{escape(code)}" data-state="{state.value}"'
            f' fill="url(#{pattern_id(state)})" stroke="{OUTLINE}" stroke-width="0.7"'
            f' d="{world.countries[code]}"><title>{escape(labels.get(code, code))}</title></path>'
        )
    # Safe: the text is escaped, the shapes checked as they were read, the rest is ours.
    return Markup(  # noqa: S704
        f'<svg class="gov-map__svg" viewBox="0 0 {world.width} {world.height}"'
        ' xmlns="http://www.w3.org/2000/svg" role="img" focusable="false"'
        ' aria-labelledby="gov-map-title gov-map-desc">'
        f'<title id="gov-map-title">{escape(title)}</title>'
        f'<desc id="gov-map-desc">{escape(description)}</desc>'
        f"{_patterns()}{_base(frozenset(states))}{''.join(countries)}</svg>"
    )


def swatch(state: State) -> Markup:
    """A legend's sample of a state's colour and pattern (decorative: the label says it)."""
    return Markup(  # noqa: S704 - no outside text in it
        '<svg class="gov-swatch" viewBox="0 0 24 16" aria-hidden="true" focusable="false">'
        f'<rect width="24" height="16" fill="url(#{pattern_id(state)})" stroke="{OUTLINE}"'
        ' stroke-width="1"/></svg>'
    )
