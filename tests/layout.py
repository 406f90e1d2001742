"""Do any two texts of a drawn figure overlap? Rotated labels are compared as rotated
rectangles (separating-axis test), not by their axis-aligned boxes, which always overlap
for slanted neighbours."""

from __future__ import annotations

import itertools
import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text


def _corners(text: Text, renderer) -> np.ndarray:
    box = text.get_window_extent(renderer)
    angle = math.radians(text.get_rotation() % 180)
    sin, cos = math.sin(angle), math.cos(angle)
    if abs(sin) < 1e-6 or abs(cos) < 1e-6:
        return np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    rotation = text.get_rotation()
    text.set_rotation(0)
    flat = text.get_window_extent(renderer)
    text.set_rotation(rotation)
    w, h, s, c = flat.width, flat.height, abs(sin), abs(cos)
    if sin * cos > 0:  # rising to the right
        points = [(h * s, 0), (h * s + w * c, w * s), (w * c, w * s + h * c), (0, h * c)]
    else:
        points = [(w * c, 0), (w * c + h * s, h * c), (h * s, w * s + h * c), (0, w * s)]
    return np.array(points) + np.array([box.x0, box.y0])


def _apart(a: np.ndarray, b: np.ndarray, margin: float = 1.0) -> bool:
    for polygon in (a, b):
        for i in range(4):
            edge = polygon[(i + 1) % 4] - polygon[i]
            axis = np.array([-edge[1], edge[0]])
            if not axis.any():
                continue
            axis = axis / np.hypot(*axis)
            pa, pb = a @ axis, b @ axis
            if pa.max() - margin <= pb.min() or pb.max() - margin <= pa.min():
                return True
    return False


def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts whose drawn rectangles overlap by more than 1 px."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [
        t
        for t in fig.findobj(Text)
        if t.get_text().strip() and t.get_visible() and (t.axes is None or t.axes.get_visible())
    ]
    shapes = [(t, _corners(t, renderer)) for t in texts]
    return [
        (a.get_text(), b.get_text())
        for (a, pa), (b, pb) in itertools.combinations(shapes, 2)
        if not _apart(pa, pb)
    ]
