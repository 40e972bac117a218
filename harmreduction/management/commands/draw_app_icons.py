"""Draw the app's PNG icons (static/icons/) from the shapes of static/icon.svg.

The manifest needs PNGs at 192 and 512 pixels for "Add to home screen". They
are committed; run this again only if the icon changes. Pure Python (zlib), so
no image library is needed: a rounded square in the brand colour with a white
heart, each pixel 4×4 supersampled for smooth edges.
"""

import math
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

BRAND = (0x0B, 0x5D, 0x5B)
WHITE = (0xFF, 0xFF, 0xFF)


def _in_heart(x: float, y: float) -> bool:
    """The heart of icon.svg on its 32-unit grid: two lobes over a point at (16, 25)."""
    for cx in (12.0, 20.0):
        if math.hypot(x - cx, y - 13.0) <= 4.4:
            return True
    # The lower part: from the lobes' widest line down to the point.
    if 13.0 <= y <= 25.0:
        half = 8.4 * ((25.0 - y) / 12.0) ** 0.8
        return abs(x - 16.0) <= half
    return False


def _in_square(x: float, y: float, radius: float = 7.0) -> bool:
    cx = min(max(x, radius), 32 - radius)
    cy = min(max(y, radius), 32 - radius)
    return math.hypot(x - cx, y - cy) <= radius


def draw(size: int) -> bytes:
    rows = []
    samples = 4
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            square = heart = 0
            for sy in range(samples):
                for sx in range(samples):
                    x = (px + (sx + 0.5) / samples) * 32 / size
                    y = (py + (sy + 0.5) / samples) * 32 / size
                    if _in_square(x, y):
                        square += 1
                        if _in_heart(x, y):
                            heart += 1
            total = samples * samples
            if not square:
                row += bytes((0, 0, 0, 0))
                continue
            mix = heart / square
            colour = [round(b + (w - b) * mix) for b, w in zip(BRAND, WHITE, strict=True)]
            row += bytes((*colour, round(255 * square / total)))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


class Command(BaseCommand):
    help = "Draw static/icons/icon-192.png and icon-512.png (the installed app's icons)."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "icons"
        folder.mkdir(exist_ok=True)
        for size in (192, 512):
            path = folder / f"icon-{size}.png"
            path.write_bytes(draw(size))
            self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
