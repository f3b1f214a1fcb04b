"""Sharing a call: its share image and the code partners paste to embed its form.

The share image is the call's title on the site's colours, as a PNG of 1200 by 630 pixels.

Social sites show this image when someone shares the call's link. It holds
no live count: platforms cache images for days, so a number would be stale
and wrong. It depends only on its texts, so it is rendered once per process
for each set of texts and kept.
"""

from __future__ import annotations

import io
from functools import lru_cache

from markupsafe import escape
from PIL import Image, ImageDraw

from .text import Setter, shorten, wrap

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
ACCENT = "#0b5e3b"
ACCENT_SHADOW = "#032716"
PAPER = "#ffffff"
TINT = "#dbe3df"
TITLE_SIZES = (76, 68, 60, 54, 48, 42)


def _fit_title(
    title: str, width: int, height: int, language: str = "en"
) -> tuple[Setter, list[str], int]:
    """The largest title size whose wrapped lines fit the box; the last resort is shortened."""
    for size in TITLE_SIZES:
        setter = Setter(size, bold=True, language=language)
        # Arabic and Chinese letters reach higher and lower than Latin ones: more room.
        line_height = round(size * (1.18 if language not in ("ar", "zh") else 1.4))
        lines = wrap(title, setter, width)
        if len(lines) * line_height <= height and all(
            setter.length(line) <= width for line in lines
        ):
            return setter, lines, line_height
    max_lines = height // line_height
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(lines[max_lines - 1])]
    return setter, lines, line_height


@lru_cache(maxsize=128)
def share_image(
    title: str,
    organisation: str,
    call_to_action: str,
    host: str,
    logo_png: bytes | None = None,
    language: str = "en",
) -> bytes:
    """Render the share image; the same texts and logo always give the same bytes.

    In a language written right to left the layout is mirrored as a page is: the
    organisation and the title start at the right edge, the button sits at the right.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), ACCENT)
    draw = ImageDraw.Draw(image)
    rtl = Setter(10, False, language).direction == "rtl"
    box = (MARGIN, WIDTH - MARGIN)

    # The site's band: a dark edge at the bottom, like the page header.
    draw.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=ACCENT_SHADOW)

    small = Setter(34, bold=True, language=language)
    top = MARGIN - 10
    taken = 0
    if logo_png:
        taken = _paste_logo(image, logo_png, MARGIN, top - 14, rtl)
    if organisation:
        name_box = (box[0], box[1] - taken) if rtl else (box[0] + taken, box[1])
        small.draw(draw, organisation.upper(), name_box, top + 36, TINT)

    footer_y = HEIGHT - MARGIN - 40
    title_top = top + 80
    title_room = footer_y - title_top - 40
    setter, lines, line_height = _fit_title(title, box[1] - box[0], title_room, language)
    block = len(lines) * line_height
    y = title_top + max(0, (title_room - block) // 2)
    for line in lines:
        setter.draw(draw, line, box, y + round(setter.size * 1.07), PAPER)
        y += line_height

    label = Setter(36, bold=True, language=language)
    label_width = round(label.length(call_to_action)) + 48
    button = WIDTH - MARGIN - label_width if rtl else MARGIN
    draw.rectangle((button, footer_y - 14, button + label_width, footer_y + 50), fill=PAPER)
    label.draw(
        draw, call_to_action, (button + 24, button + label_width - 24), footer_y + 34, ACCENT
    )
    if host:
        # The address reads left to right in every language; it sits at the line's end.
        Setter(30, bold=False, language="en").draw(
            draw, host, box, footer_y + 34, TINT, align="start" if rtl else "end"
        )

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _paste_logo(image: Image.Image, png: bytes, x: int, y: int, rtl: bool = False) -> int:
    """Paste the organisation's logo on a white card at (x, y), 64 px high at most 300 wide
    (at the right edge, x from it, when the image reads right to left); returns the room
    it takes (with a gap) for the name beside it."""
    logo = Image.open(io.BytesIO(png)).convert("RGBA")
    logo.thumbnail((300, 64))
    pad = 8
    if rtl:
        x = WIDTH - x - logo.width - 2 * pad
    card = (x, y, x + logo.width + 2 * pad, y + logo.height + 2 * pad)
    ImageDraw.Draw(image).rounded_rectangle(card, radius=8, fill=PAPER)
    image.paste(logo, (x + pad, y + pad), logo)
    return logo.width + 2 * pad + 24


# The frames' heights until the embed's script says better, or for good where a partner's
# site strips scripts: the whole form on a phone 360 px wide (1,300 px; 1,100 on a desktop),
# and the compact version in a column 280 px wide.
EMBED_HEIGHT = 1400
COMPACT_EMBED_HEIGHT = 360


def embed_code(url: str, title: str, *, height: int, script_url: str) -> str:
    """The code a partner pastes into their page to host the embed.

    The ``<iframe>``, whose ``title`` names the frame for screen readers on the
    partner's page, and the script that sizes it to its content (static/js/
    embed-parent.js). No ``style`` attribute and no inline script: partners' own
    Content-Security-Policy may forbid them.
    """
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="{height}" '
        'loading="lazy"></iframe>\n'
        f'<script src="{escape(script_url)}" defer></script>'
    )
