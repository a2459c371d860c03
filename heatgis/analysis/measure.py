"""Distances and areas measured on the map, in metres of the project CRS, and their wording.

The project CRS is projected and metric (the demo's CGCS2000 3-degree Gauss-Kruger CM 111E:
scale error under 1e-4 within the city), so a length is the sum of the segment lengths and an
area the shoelace area of the closed outline. Qt-free.
"""

from __future__ import annotations

import numpy as np


def path_length(xy) -> float:
    """Length in metres of the polyline through ``xy`` ((n, 2), project CRS)."""
    a = np.asarray(xy, float).reshape(-1, 2)
    if len(a) < 2:
        return 0.0
    return float(np.hypot(*np.diff(a, axis=0).T).sum())


def polygon_area(xy) -> float:
    """Area in m² of the polygon closed by ``xy`` (0 for fewer than three points)."""
    a = np.asarray(xy, float).reshape(-1, 2)
    if len(a) < 3:
        return 0.0
    x, y = a[:, 0] - a[:, 0].mean(), a[:, 1] - a[:, 1].mean()
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def fmt_length(m: float, lang: str = "zh") -> str:
    """1234.5 -> "1.23 km"; 86.2 -> "86.2 m" (公里 / 米 in Chinese)."""
    km, unit_m = ("公里", "米") if lang == "zh" else ("km", "m")
    return f"{m / 1000:,.2f} {km}" if m >= 1000 else f"{m:,.1f} {unit_m}"


def fmt_area(m2: float, lang: str = "zh") -> str:
    """Square metres below 1 ha, hectares to 1 km², km² above (平方米 / 公顷 / 平方公里)."""
    if lang == "zh":
        units = ("平方米", "公顷", "平方公里")
    else:
        units = ("m²", "ha", "km²")
    if m2 >= 1e6:
        return f"{m2 / 1e6:,.3f} {units[2]}"
    if m2 >= 1e4:
        return f"{m2 / 1e4:,.2f} {units[1]}"
    return f"{m2:,.0f} {units[0]}"


def measure_text(xy, lang: str = "zh") -> str:
    """The live reading of the measure tool: the path's length and, from three points, the area."""
    a = np.asarray(xy, float).reshape(-1, 2)
    d = fmt_length(path_length(a), lang)
    if lang == "zh":
        s = f"距离 {d}"
        if len(a) >= 3:
            perimeter = fmt_length(path_length(np.vstack([a, a[:1]])), lang)
            s += f"  面积 {fmt_area(polygon_area(a), lang)}（周长 {perimeter}）"
    else:
        s = f"Distance {d}"
        if len(a) >= 3:
            s += (
                f"  Area {fmt_area(polygon_area(a), lang)} (perimeter "
                f"{fmt_length(path_length(np.vstack([a, a[:1]])), lang)})"
            )
    return s
