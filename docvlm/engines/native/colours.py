"""CIELAB colour maths for chart images: sRGB conversion, delta E and chroma."""

from __future__ import annotations

import cv2
import numpy as np

GRAY = 12.0  # chroma below which a colour is a shade of gray
# Chroma below which ink is neutral, as text and rules are drawn; a palette's pale tint (a
# light blue fill that slanting hatch lines cut into thin strips: about 11) is a mark's.
NEUTRAL = GRAY / 2


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (uint8) to CIELAB (L in 0..100)."""
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)


def lab_to_rgb(lab: np.ndarray) -> tuple[float, float, float]:
    rgb = cv2.cvtColor(lab.reshape(1, 1, 3).astype(np.float32), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (float(v) for v in np.clip(rgb, 0.0, 1.0))
    return round(r, 3), round(g, 3), round(b, 3)


def delta_e(lab: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Distance of every pixel (or colour) in ``lab`` from ``colour`` (CIE76)."""
    return np.sqrt(((lab - colour) ** 2).sum(axis=-1))


def chroma(lab: np.ndarray) -> np.ndarray:
    return np.hypot(lab[..., 1], lab[..., 2])
