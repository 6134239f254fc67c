"""Geometry of the server-rendered SVG bar chart (the template draws it)."""

import math

WIDTH = 640
HEIGHT = 300
TOP = 28  # room for the value above the tallest bar
BOTTOM = 28  # room for the year under the bars
SIDE = 8


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above value (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bars(figures) -> dict:
    """Bars for a list of YearFigure: position, size, and where their labels go."""
    count = max(len(figures), 1)
    plot_height = HEIGHT - TOP - BOTTOM
    top_value = nice_ceiling(max((f.children_returned for f in figures), default=0))
    slot = (WIDTH - 2 * SIDE) / count
    bar_width = slot * 0.7
    items = []
    for index, figure in enumerate(figures):
        height = round(plot_height * figure.children_returned / top_value, 1)
        x = round(SIDE + index * slot + (slot - bar_width) / 2, 1)
        y = round(TOP + plot_height - height, 1)
        items.append(
            {
                "figure": figure,
                "x": x,
                "y": y,
                "width": round(bar_width, 1),
                "height": height,
                "centre": round(x + bar_width / 2, 1),
                "value_y": round(y - 6, 1),
                "year_y": HEIGHT - 8,
            }
        )
    return {"width": WIDTH, "height": HEIGHT, "baseline": TOP + plot_height, "bars": items}


HBAR_WIDTH = 480
HBAR_ROW = 42  # a label line, then the bar
HBAR_VALUE = 56  # room for the value right of the longest bar


def hbars(rows) -> dict:
    """Horizontal bars for [(label, value)], each under its label; the longest bar
    stands for the largest value."""
    top = max((value for _label, value in rows), default=0) or 1
    room = HBAR_WIDTH - HBAR_VALUE
    items = []
    for index, (label, value) in enumerate(rows):
        width = round(room * value / top, 1)
        y = index * HBAR_ROW
        items.append(
            {
                "label": label,
                "value": value,
                "label_y": y + 14,
                "y": y + 20,
                "text_y": y + 33,
                "width": width,
                "value_x": width + 6,
            }
        )
    return {
        "width": HBAR_WIDTH,
        "height": max(len(rows), 1) * HBAR_ROW,
        "bar_height": 16,
        "bars": items,
    }
