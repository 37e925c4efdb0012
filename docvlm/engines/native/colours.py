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


def rgb_to_lab(colour: tuple[float, ...]) -> np.ndarray:
    """One sRGB colour (0..1, as marks carry it) in CIELAB, through 8-bit sRGB as an
    image's pixel would be."""
    pixel = np.clip(np.array([[colour[:3]]], np.float64) * 255.0, 0, 255).astype(np.uint8)
    return to_lab(pixel)[0, 0]


def lab_to_rgb(lab: np.ndarray) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in lab_to_srgb(lab))
    return round(r, 3), round(g, 3), round(b, 3)


def lab_to_srgb(lab: np.ndarray) -> np.ndarray:
    """CIELAB colours (any shape ending in 3) to sRGB (0..1, unrounded)."""
    flat = lab.reshape(1, -1, 3).astype(np.float32)
    return cv2.cvtColor(flat, cv2.COLOR_Lab2RGB).reshape(lab.shape).clip(0.0, 1.0)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB colours (0..1, any shape ending in 3) to CIELAB."""
    flat = rgb.reshape(1, -1, 3).astype(np.float32)
    return cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(rgb.shape)


def delta_e(lab: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Distance of every pixel (or colour) in ``lab`` from ``colour`` (CIE76)."""
    return np.sqrt(((lab - colour) ** 2).sum(axis=-1))


def colour_counts(lab: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """The distinct colours of ``lab`` (pixels, n x 3) rounded to ``step``, in (L, a, b)
    order, and how many pixels each has, as ``np.unique(np.round(lab / step), axis=0,
    return_counts=True)`` gives them, in a fraction of its time: the rounded channels are
    small integers, packed into one key per pixel so that a plain sort counts them."""
    quantised = np.round(lab / step)
    packed = quantised.astype(np.int64) + _KEY_OFFSET
    keys, counts = np.unique(
        (packed[:, 0] << 40) | (packed[:, 1] << 20) | packed[:, 2], return_counts=True
    )
    unpacked = np.stack([keys >> 40, (keys >> 20) & _KEY_MASK, keys & _KEY_MASK], axis=1)
    return (unpacked - _KEY_OFFSET).astype(quantised.dtype), counts


_KEY_OFFSET = 1 << 19  # rounded channels stay far within +-2**19
_KEY_MASK = (1 << 20) - 1


def chroma(lab: np.ndarray) -> np.ndarray:
    return np.hypot(lab[..., 1], lab[..., 2])


def hue(lab: np.ndarray) -> float | None:
    """A CIELAB colour's hue angle in degrees, None for a gray."""
    if float(chroma(lab)) < GRAY:
        return None
    return float(np.degrees(np.arctan2(lab[2], lab[1])))


def hues_apart(hue: float, other: float) -> float:
    """Degrees between two hues, the short way round."""
    turn = abs(hue - other) % 360
    return min(turn, 360 - turn)


def nearest_blend(
    pixels: np.ndarray, ground: np.ndarray, span: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How far each pixel is from the nearest blend of ``ground`` with a colour ``span``
    away from it (an anti-aliased pixel of a stroke in that colour lies on the blend), and
    that blend's share of the colour (0..1)."""
    share = _share(pixels, ground, span)
    return delta_e(pixels, ground + share[..., None] * span), share


def _share(pixels: np.ndarray, ground: np.ndarray, span: np.ndarray) -> np.ndarray:
    """How far along ``span`` from ``ground`` each pixel's nearest point lies (0..1)."""
    along = ((pixels - ground) * span).sum(axis=-1) / np.maximum((span**2).sum(axis=-1), 1e-6)
    return np.clip(along, 0.0, 1.0)


def nearest_seen_through(
    pixels: np.ndarray, ground: np.ndarray, colour: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How far each pixel (CIELAB) is from ``colour`` laid see-through over ``ground``, at
    the opacity that comes nearest, and that opacity (0..1). Renderers composite on sRGB
    values, and a blend straight in CIELAB strays from theirs by 16 delta E for a
    saturated crimson over white (a half-opaque fill of an edge's colour)."""
    rgb, under, over = lab_to_srgb(pixels), lab_to_srgb(ground), lab_to_srgb(colour)
    span = over - under
    share = _share(rgb, under, span)
    return delta_e(pixels, srgb_to_lab(under + share[..., None] * span)), share
