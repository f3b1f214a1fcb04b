"""Portraits and logos of notable signatories: checked, then re-encoded with Pillow.

Nothing of the uploaded file is served as it came: it must decode as JPEG,
PNG or WebP within the size limits, and is redrawn into a bounded box as a
fresh JPEG (or PNG, to keep a logo's transparency) with no metadata.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# Far above any real portrait; refuses decompression bombs before they are decoded.
MAX_PIXELS = 40_000_000


class PortraitError(ValueError):
    """The upload cannot be used; ``reason`` is "too_big" or "not_an_image"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Portrait:
    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str


def open_checked(data: bytes, max_bytes: int) -> Image.Image:
    """``data`` decoded as JPEG, PNG or WebP within the limits, upright; else PortraitError.

    The one check every uploaded image goes through (portraits here, the
    letters' logo in ``campaign.letters``) before it is redrawn.
    """
    if len(data) > max_bytes:
        raise PortraitError("too_big")
    if not data:
        raise PortraitError("not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise PortraitError("too_big")
                probe.verify()  # the file's structure, before decoding it for real
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as source:
                source.load()
                return ImageOps.exif_transpose(source)
    except PortraitError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ):
        raise PortraitError("not_an_image") from None


def is_transparent(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)


def process(data: bytes, max_bytes: int, box: int) -> Portrait:
    """Check ``data`` and return it re-encoded to fit in ``box`` by ``box`` pixels."""
    image = open_checked(data, max_bytes)
    image.thumbnail((box, box), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if is_transparent(image):
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        content_type = "image/jpeg"
    encoded = out.getvalue()
    return Portrait(
        data=encoded,
        content_type=content_type,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
    )
