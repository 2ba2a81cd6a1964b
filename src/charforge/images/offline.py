"""A portrait token with no key and no network: Pillow draws it from the character alone.

Same seed, name and class give the same bytes, every run: colours come from a seeded
`random.Random`, shapes are plain polygons, the font is Pillow's built-in default (no font file),
and the file is saved without metadata or timestamps. (Bytes can differ between Pillow or FreeType
versions, which rasterise text slightly differently.)
"""

from __future__ import annotations

import colorsys
import io
import math
import random
from typing import Any, ClassVar

from charforge.images.base import MIME, ImageProvider, ImageRequest, ImageResult

MODEL = "charforge-offline-portrait-1"
Point = tuple[float, float]
Shape = tuple[list[Point], int]  # (polygon in unit coordinates, 0 = ink, 1 = cut out in the medallion colour)


def _circle(r: float, cx: float = 0, cy: float = 0, sides: int = 32, ry: float | None = None) -> list[Point]:
    return [(cx + r * math.cos(2 * math.pi * i / sides), cy + (ry or r) * math.sin(2 * math.pi * i / sides))
            for i in range(sides)]


def _star(points: int = 5, outer: float = 1.0, inner: float = 0.42) -> list[Point]:
    return [((outer if i % 2 == 0 else inner) * math.cos(math.pi * i / points - math.pi / 2),
             (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / points - math.pi / 2))
            for i in range(points * 2)]


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[Point]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _rotate(shapes: list[Shape], degrees: float) -> list[Shape]:
    a = math.radians(degrees)
    return [([(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)) for x, y in pts], layer)
            for pts, layer in shapes]


def _almond(width: float, length: float = 1.0) -> list[Point]:
    """A pointed oval (leaf, eye): two arcs meeting at the tips (0, -length) and (0, length)."""
    steps = [i / 12 for i in range(13)]
    right = [(width * math.sin(math.pi * t), -length + 2 * length * t) for t in steps]
    return right + [(-x, y) for x, y in reversed(right[1:-1])]


def _blade(length: float, width: float) -> list[Shape]:
    return [([(-width, 0.35), (-width, 0.35 - length), (0, 0.1 - length), (width, 0.35 - length), (width, 0.35)], 0),
            (_rect(-0.5, 0.35, 0.5, 0.5), 0), (_rect(-0.08, 0.5, 0.08, 0.85), 0), (_circle(0.12, 0, 0.93), 0)]


EMBLEMS: dict[str, list[Shape]] = {
    "fighter": _blade(1.1, 0.12),  # a longsword, point up
    "rogue": _rotate([([(x * 1.4, y * 0.8) for x, y in pts], layer) for pts, layer in _blade(0.9, 0.13)], 45),
    "wizard": [(_star(), 0)],
    "paladin": [([(-0.8, -0.85), (0.8, -0.85), (0.8, 0.05), (0, 0.95), (-0.8, 0.05)], 0),
                (_rect(-0.09, -0.65, 0.09, 0.6), 1), (_rect(-0.45, -0.3, 0.45, -0.12), 1)],
    "druid": _rotate([(_almond(0.5), 0), (_rect(-0.03, -0.8, 0.03, 1.05), 1)], 35),
    "barbarian": [(_rect(-0.07, -0.95, 0.07, 0.98), 0),  # a double-bitted axe
                  ([(0.07, -0.7), (0.7, -0.95), (0.85, -0.35), (0.7, 0.25), (0.07, 0.0)], 0),
                  ([(-0.07, -0.7), (-0.7, -0.95), (-0.85, -0.35), (-0.7, 0.25), (-0.07, 0.0)], 0)],
    "bard": [(_circle(0.32, -0.3, 0.58, ry=0.24), 0), (_rect(-0.02, -0.9, 0.1, 0.55), 0),
             ([(0.1, -0.9), (0.65, -0.45), (0.6, -0.25), (0.1, -0.6)], 0)],
    "cleric": [(_circle(0.45), 0)] + [(_rotate([([(-0.14, -0.58), (0, -0.98), (0.14, -0.58)], 0)], 45 * i)[0][0], 0)
                                      for i in range(8)],
    "monk": [(_circle(0.92), 0), (_circle(0.62), 1), (_circle(0.18), 0)],
    "ranger": _rotate([(_rect(-0.04, -0.6, 0.04, 0.95), 0), ([(-0.22, -0.55), (0, -1.0), (0.22, -0.55)], 0),
                       ([(-0.04, 0.6), (-0.25, 0.95), (-0.25, 0.75), (-0.04, 0.4)], 0),
                       ([(0.04, 0.6), (0.25, 0.95), (0.25, 0.75), (0.04, 0.4)], 0)], 45),
    "sorcerer": [([(0, -1), (0.3, -0.5), (0.62, -0.05), (0.58, 0.5), (0.3, 0.88), (-0.3, 0.88), (-0.6, 0.5),
                   (-0.62, 0.0), (-0.35, -0.35), (-0.18, 0.05)], 0),
                 ([(0, -0.15), (0.25, 0.3), (0.2, 0.7), (-0.2, 0.7), (-0.25, 0.3)], 1)],
    "warlock": [(_rotate([(_almond(0.5), 0)], 90)[0][0], 0), (_circle(0.36), 1), (_circle(0.16), 0)],
}
DIAMOND: list[Shape] = [([(0, -1), (0.7, 0), (0, 1), (-0.7, 0)], 0)]


def initials(name: str) -> str:
    letters = [next((c for c in word if c.isalnum()), "") for word in name.split()]
    return "".join(letters[:2]).upper() or "?"


def _rgb(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return round(r * 255), round(g * 255), round(b * 255)


def render(*, name: str, class_name: str, seed: int, width: int = 512, height: int = 512,
           fmt: str = "png", style: str | None = None) -> bytes:
    """The portrait token as image-file bytes (PNG, WebP or JPEG).

    Each style draws its own token (its own palette; 'ink sketch' in grey, 'pixel art' in blocks), so two
    styles never give the same bytes and so never share a file name or a sidecar. 'painted', the default,
    draws what it always drew.
    """
    from PIL import Image, ImageDraw, ImageFont

    key = "" if style in (None, "painted") else f":{style}"
    rng = random.Random(f"charforge:portrait:{seed}:{name}:{class_name}{key}")
    hue = rng.random()
    top, bottom = _rgb(hue, 0.55, 0.42), _rgb(hue + rng.uniform(0.03, 0.12), 0.65, 0.14)
    disc, ink = _rgb(hue + 0.5, 0.25, 0.9), _rgb(hue + 0.5 + rng.uniform(-0.1, 0.1), 0.7, 0.35)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient, one line per row
        t = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    side, cx = min(width, height), width / 2
    _emblem(draw, EMBLEMS.get(class_name, DIAMOND), (cx, height * 0.14), side * 0.095, (disc, top))
    r, cy = side * 0.23, height * 0.5
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=disc, outline=ink, width=max(2, round(side / 96)))
    _text(draw, initials(name), (cx, cy), ImageFont.load_default(size=max(8, round(side * 0.2))), ink)
    plate = [width * 0.08, height * 0.8, width * 0.92, height * 0.92]
    draw.rounded_rectangle(plate, radius=side * 0.02, fill=disc, outline=ink, width=max(1, round(side / 160)))
    font = ImageFont.load_default(size=max(8, round(side * 0.055)))
    _text(draw, _fit(draw, name or "Unnamed", font, plate[2] - plate[0] - side * 0.04), (cx, height * 0.86), font,
          ink)
    if style == "ink sketch":
        image = image.convert("L").convert("RGB")
    elif style == "pixel art":
        block = max(1, side // 64)
        image = image.resize((max(1, width // block), max(1, height // block)), Image.Resampling.NEAREST).resize(
            (width, height), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper(), optimize=False, **({"quality": 90} if fmt != "png" else {}))
    return buffer.getvalue()


def _emblem(draw: Any, shapes: list[Shape], centre: Point, scale: float, colours: tuple[Any, Any]) -> None:
    for points, layer in shapes:
        draw.polygon([(centre[0] + x * scale, centre[1] + y * scale) for x, y in points], fill=colours[layer])


def _text(draw: Any, text: str, centre: Point, font: Any, fill: Any) -> None:
    """Centred by the text's own box, which works with both FreeType and bitmap default fonts."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text((centre[0] - (left + right) / 2, centre[1] - (top + bottom) / 2), text, font=font, fill=fill)


def _fit(draw: Any, text: str, font: Any, room: float) -> str:
    while len(text) > 1 and draw.textlength(text, font=font) > room:
        text = text[:-2].rstrip() + "…"
    return text


class OfflineImages(ImageProvider):
    """The deterministic token renderer; `request.subject` and `request.class_name` pick the initials and emblem."""

    name: ClassVar[str] = "offline"
    check_size: ClassVar[str] = "64x64"

    def __init__(self, settings: Any = None, *, key: str | None = None, retry: Any = None) -> None:
        self.model = MODEL  # a local renderer: no settings, key or retries

    def generate(self, request: ImageRequest) -> ImageResult:
        width, height = request.dimensions
        seed = request.seed or 0
        images = [render(name=request.subject or "", class_name=request.class_name or "", seed=seed + i,
                         width=width, height=height, fmt=request.output_format, style=request.style)
                  for i in range(request.n)]
        return ImageResult(images=images, mime=MIME[request.output_format], model=self.model, seed=seed)
