"""Bar charts as plain SVG geometry, drawn by a template: no charting JavaScript.

The numbers are always also in a table beside the chart; the SVG is a picture
of them with a <title> and <desc> for screen readers.

The SVG scales to its column, and its text with it: the drawing is 480 units
wide with 16-unit text (static/css/app.css), so on a tablet the labels are drawn
at 12 px or more (tests/browser/test_dashboard.py measures them).
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


def bar_chart(rows: list[tuple[str, int]], *, width: int = 480, bar_height: int = 28, gap: int = 8,
              label_width: int = 190) -> dict:
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


def column_chart(rows: list[tuple[str, int]], *, width: int = 480, height: int = 180, margin: int = 32) -> dict:
    """Vertical columns over time (the weekly trend).

    A label is centred under its column; `margin` on either side leaves room
    for half of the first and last labels ("Sep 29" is about 50 units), which
    were cut off at the edge before.
    """
    top = max((value for _, value in rows), default=0) or 1
    slot = (width - 2 * margin) / max(len(rows), 1)
    columns = []
    for i, (label, value) in enumerate(rows):
        column_height = (height - 30) * value / top
        columns.append(Bar(label, value, round(margin + i * slot + 2, 1), round(height - 24 - column_height, 1),
                           round(max(slot - 4, 1), 1), round(column_height, 1),
                           round(margin + i * slot + slot / 2, 1), height - 5))
    return {"bars": columns, "width": width, "height": height, "label_every": max(1, len(rows) // 5)}
