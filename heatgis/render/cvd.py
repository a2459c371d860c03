"""Colour-vision-deficiency simulation of a rendered map (checks that marks read without colour).

Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
vision deficiency", IEEE TVCG 15(6): the 3 x 3 matrices at severity 1.0, applied to linear RGB.
numpy only; ``image_array`` turns a QImage into an (h, w, 3) uint8 array.
"""

from __future__ import annotations

import numpy as np

MACHADO_2009 = {
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}


def _to_linear(c: np.ndarray) -> np.ndarray:
    c = c / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.round(255.0 * np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055))


def simulate(rgb: np.ndarray, kind: str = "deuteranopia") -> np.ndarray:
    """The image as seen with ``kind`` (deuteranopia, protanopia, tritanopia); uint8 (..., 3) in and out."""
    a = np.asarray(rgb, float)
    lin = _to_linear(a[..., :3]) @ MACHADO_2009[kind].T
    return _to_srgb(lin).astype(np.uint8)


def image_array(img) -> np.ndarray:
    """An (h, w, 3) uint8 RGB array of a QImage."""
    from PySide6 import QtGui

    im = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w, bpl = im.height(), im.width(), im.bytesPerLine()
    buf = np.frombuffer(im.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return buf[:, : w * 3].reshape(h, w, 3).copy()


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance (0..1) of sRGB uint8 colours."""
    return _to_linear(np.asarray(rgb, float)[..., :3]) @ np.array([0.2126, 0.7152, 0.0722])
