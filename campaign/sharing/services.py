"""Sharing a call: its share image and the code partners paste to embed its form.

The share image is the call's title on the site's colours, as a PNG of 1200 by 630 pixels.

Social sites show this image when someone shares the call's link. It holds
no live count: platforms cache images for days, so a number would be stale
and wrong. It depends only on its texts, so it is rendered once per process
for each set of texts and kept.
"""

from __future__ import annotations

import glob
import io
from functools import cache, lru_cache

from markupsafe import escape
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
ACCENT = "#0b5e3b"
ACCENT_SHADOW = "#032716"
PAPER = "#ffffff"
TINT = "#dbe3df"
# Debian's fonts-noto-core (bin/system-deps); Pillow's own font is the fallback.
FONT_GLOBS = {
    True: "/usr/share/fonts/**/NotoSans-Bold.ttf",
    False: "/usr/share/fonts/**/NotoSans-Regular.ttf",
}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def font_path(bold: bool) -> str | None:
    """The Noto Sans file on this machine, or None to use Pillow's default font."""
    found = sorted(glob.glob(FONT_GLOBS[bold], recursive=True))
    return found[0] if found else None


def _font(size: int, bold: bool) -> Font:
    path = font_path(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (a word longer than that stands alone)."""
    lines: list[str] = []
    # Only ordinary spaces break: a no-break space keeps "Gouvernements :" together.
    for word in filter(None, text.split(" ")):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fit_title(title: str, width: int, height: int) -> tuple[Font, list[str], int]:
    """The largest title size whose wrapped lines fit the box; the last resort is shortened."""
    for size in (76, 68, 60, 54, 48, 42):
        font = _font(size, bold=True)
        line_height = round(size * 1.18)
        lines = _wrap(title, font, width)
        if len(lines) * line_height <= height and all(
            font.getlength(line) <= width for line in lines
        ):
            return font, lines, line_height
    max_lines = height // line_height
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    return font, lines, line_height


@lru_cache(maxsize=128)
def share_image(
    title: str, organisation: str, call_to_action: str, host: str, logo_png: bytes | None = None
) -> bytes:
    """Render the share image; the same texts and logo always give the same bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), ACCENT)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN

    # The site's band: a dark edge at the bottom, like the page header.
    draw.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=ACCENT_SHADOW)

    small = _font(34, bold=True)
    top = MARGIN - 10
    left = MARGIN + _paste_logo(image, logo_png, MARGIN, top - 14) if logo_png else MARGIN
    if organisation:
        draw.text((left, top), organisation.upper(), font=small, fill=TINT)

    footer_y = HEIGHT - MARGIN - 40
    title_top = top + 80
    font, lines, line_height = _fit_title(title, text_width, footer_y - title_top - 40)
    block = len(lines) * line_height
    y = title_top + max(0, (footer_y - title_top - 40 - block) // 2)
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=PAPER)
        y += line_height

    label = _font(36, bold=True)
    label_width = round(label.getlength(call_to_action))
    draw.rectangle((MARGIN, footer_y - 14, MARGIN + label_width + 48, footer_y + 50), fill=PAPER)
    draw.text((MARGIN + 24, footer_y - 4), call_to_action, font=label, fill=ACCENT)
    if host:
        regular = _font(30, bold=False)
        host_width = regular.getlength(host)
        draw.text((WIDTH - MARGIN - host_width, footer_y + 2), host, font=regular, fill=TINT)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _paste_logo(image: Image.Image, png: bytes, x: int, y: int) -> int:
    """Paste the organisation's logo on a white card at (x, y), 64 px high at most 300 wide;
    returns the room it takes (with a gap) for the name beside it."""
    logo = Image.open(io.BytesIO(png)).convert("RGBA")
    logo.thumbnail((300, 64))
    pad = 8
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
