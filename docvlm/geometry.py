"""Plain geometry shared by every stage: boxes in page points, top-left origin."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BBox:
    """An axis-aligned box ``(x0, y0, x1, y1)`` in PDF points, origin at the top-left."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def contains(self, other: BBox, slack: float = 0.0) -> bool:
        """Whether ``other`` lies within this box grown by ``slack`` on every side."""
        return (
            self.x0 - slack <= other.x0
            and other.x1 <= self.x1 + slack
            and self.y0 - slack <= other.y0
            and other.y1 <= self.y1 + slack
        )

    def grown(self, pad: float) -> BBox:
        """This box grown by ``pad`` on every side (shrunk, for a negative ``pad``)."""
        return BBox(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    def intersection(self, other: BBox) -> BBox | None:
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        x1, y1 = min(self.x1, other.x1), min(self.y1, other.y1)
        return BBox(x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None

    @classmethod
    def enclosing(cls, boxes: Iterable[BBox]) -> BBox:
        """The smallest box around all of ``boxes`` (at least one)."""
        boxes = list(boxes)
        if not boxes:
            raise ValueError("no boxes to enclose")
        return cls(
            min(b.x0 for b in boxes),
            min(b.y0 for b in boxes),
            max(b.x1 for b in boxes),
            max(b.y1 for b in boxes),
        )

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)

    def shifted(self, dx: float, dy: float) -> BBox:
        return BBox(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def scaled(self, factor: float) -> BBox:
        """The box with every coordinate multiplied (pixels to points and back)."""
        return BBox(self.x0 * factor, self.y0 * factor, self.x1 * factor, self.y1 * factor)

    def pixel_bounds(self, scale: float) -> tuple[int, int, int, int]:
        """The pixels a box in points covers at ``scale`` points per pixel: its near edges
        rounded down, its far edges up, so no pixel of the box is left out."""
        return (
            int(self.x0 / scale),
            int(self.y0 / scale),
            math.ceil(self.x1 / scale),
            math.ceil(self.y1 / scale),
        )

    def rounded(self, digits: int = 2) -> BBox:
        return BBox(*(round(v, digits) for v in self.as_tuple()))


def near(a: BBox, b: BBox, gap: float = 0.0) -> bool:
    """Whether two boxes overlap or stand at most ``gap`` points apart."""
    return a.x0 - gap <= b.x1 and b.x0 - gap <= a.x1 and a.y0 - gap <= b.y1 and b.y0 - gap <= a.y1
