"""The world map: inline SVG drawn on the server, each addressed country filled with its
state's colour and pattern, named for assistive technology, and its shapes in step with
the Natural Earth source they are drawn from."""

from __future__ import annotations

import re
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest

from campaign import countries
from campaign.extensions import db
from campaign.governments import worldmap
from campaign.governments.scoreboard import State

from ..helpers.app import ROOT
from .helpers import add_target, one_in_each_state

PAGE = "/petitions/call-to-governments/governments"
SVG = "{http://www.w3.org/2000/svg}"


def map_of(client, path: str = PAGE) -> ET.Element:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'<svg class="gov-map__svg".*?</svg>', page, re.S)
    assert match, "no map on the page"
    return ET.fromstring(match.group(0))


def test_the_map_colours_the_addressed_countries(app, client, petition):
    with app.app_context():
        one_in_each_state(petition["id"])
    svg = map_of(client)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    description = svg.find(f"{SVG}desc")
    assert description.get("id") == desc_id
    assert "5 governments addressed" in description.text
    assert "No reply: 1" in description.text

    countries = {
        path.get("data-code"): path for path in svg.iter(f"{SVG}path") if path.get("data-code")
    }
    assert {code: path.get("data-state") for code, path in countries.items()} == {
        "FR": "collecting",
        "CH": "ready",
        "ES": "delivered",
        "MX": "no_reply",
        "KE": "responded",
    }
    patterns = {pattern.get("id"): pattern for pattern in svg.iter(f"{SVG}pattern")}
    for code, path in countries.items():
        state = State(path.get("data-state"))
        fill = path.get("fill")
        assert fill == f"url(#{worldmap.pattern_id(state)})", code
        assert worldmap.pattern_id(state) in patterns
        assert (
            patterns[worldmap.pattern_id(state)].find(f"{SVG}rect").get("fill")
            == (worldmap.COLOURS[state])
        )
        assert path.get("d").startswith("M")
        assert path.find(f"{SVG}title").text.endswith(
            {"no_reply": "No reply", "responded": "Responded"}.get(state.value, "")
        )
    # Every other country is drawn once, in grey, as one path.
    [land] = [path for path in svg.iter(f"{SVG}path") if not path.get("data-code")]
    assert land.get("fill") == worldmap.LAND
    assert land.get("d").count("M") > 150


def test_the_legend_and_the_table_tell_states_without_colour(app, client, petition):
    with app.app_context():
        one_in_each_state(petition["id"])
        add_target(petition["id"], "SG")  # too small for the 1:110m map
        db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    legend = page[page.index('class="gov-legend"') :]
    legend = legend[: legend.index("</ul>")]
    for label in ("Collecting signatures", "Ready to deliver", "No reply", "Responded"):
        assert label in legend
    assert "(2)" in legend  # France and Singapore are collecting
    assert "Too small to show on this map: Singapore." in page
    assert page.count('class="gov-swatch"') == 5 + 6  # the legend's five, one per row
    # The French page's map names countries in French.
    french = map_of(client, f"/fr{PAGE}")
    tips = [title.text for title in french.iter(f"{SVG}title")]
    assert any(tip.startswith("Suisse") for tip in tips), tips


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("state", list(State))
def test_each_state_stands_out_from_the_land_and_the_page(state):
    """WCAG 1.4.11: graphical objects at least 3:1 against what is next to them."""
    colour = worldmap.COLOURS[state]
    assert _contrast(colour, worldmap.LAND) >= 3
    assert _contrast(colour, "#ffffff") >= 3
    assert _contrast(colour, "#f4f8fb") >= 3  # the map's sea (governments.css)


def test_each_state_has_its_own_pattern():
    marks = [worldmap._MARKS[state] + str(state in worldmap._TURNED) for state in State]
    assert len(set(marks)) == len(State)


def test_the_shapes_are_keyed_by_the_sites_country_codes():
    shapes = worldmap.shapes()
    assert len(shapes.countries) > 170
    assert set(shapes.countries) <= countries.codes()
    for code in ("CH", "FR", "ES", "MX", "KE", "US", "RU", "FJ", "XK", "CN", "BR"):
        assert worldmap.drawn(code), code
    assert not worldmap.drawn("AQ") and not worldmap.drawn("SG")


def test_the_committed_shapes_are_drawn_from_the_pinned_source():
    source = ROOT / "node_modules" / "world-atlas" / "countries-110m.json"
    if not source.exists():
        pytest.fail("world-atlas is missing: bin/setup installs it with npm ci")
    check = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "world-map"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr
