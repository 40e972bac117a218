"""Bar charts as plain SVG geometry, drawn by a template: no charting JavaScript.

The numbers are always also in a table beside the chart; the SVG is a picture
of them with a <title> and <desc> for screen readers.
"""

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float


def bar_chart(rows: list[tuple[str, int]], *, width: int = 640, bar_height: int = 28, gap: int = 8,
              label_width: int = 200) -> dict:
    """Horizontal bars, one per (label, value) row."""
    top = max((value for _, value in rows), default=0) or 1
    room = width - label_width - 60
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (bar_height + gap)
        bar_width = room * value / top
        bars.append(Bar(label, value, label_width, y, round(bar_width, 1), bar_height,
                        round(label_width + bar_width + 6, 1), y + bar_height * 0.7))
    return {"bars": bars, "width": width, "height": max(len(rows) * (bar_height + gap) - gap, bar_height),
            "label_width": label_width, "text_y_offset": bar_height * 0.7}


def column_chart(rows: list[tuple[str, int]], *, width: int = 640, height: int = 180) -> dict:
    """Vertical columns over time (the weekly trend)."""
    top = max((value for _, value in rows), default=0) or 1
    slot = width / max(len(rows), 1)
    columns = []
    for i, (label, value) in enumerate(rows):
        column_height = (height - 30) * value / top
        columns.append(Bar(label, value, round(i * slot + 2, 1), round(height - 20 - column_height, 1),
                           round(max(slot - 4, 1), 1), round(column_height, 1),
                           round(i * slot + slot / 2, 1), height - 5))
    return {"bars": columns, "width": width, "height": height, "label_every": max(1, len(rows) // 6)}
