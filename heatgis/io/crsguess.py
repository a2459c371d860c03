"""Guess a coordinate system from coordinate ranges when a file carries none.

Chinese survey data are in CGCS2000 Gauss-Kruger zones: 3-degree zones are
EPSG:4513-4533 with the zone number prefixed to the easting (zone 37 = CM 111E:
eastings 37,4xx,xxx → EPSG:4525) and EPSG:4534-4554 without it (CM 75E ... 135E;
eastings around 500,000 → for Hohhot CM 111E, EPSG:4546). 6-degree zones 13-23
are EPSG:4491-4501 (prefixed) and EPSG:4502-4512. Phone and web data are
longitude/latitude. Without a prefix the central meridian cannot be read from
the numbers: it comes from a hint (the project's CRS or a longitude).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from heatgis.text import Text

# CGCS2000 3-degree Gauss-Kruger
_GK3_ZONE_EPSG0 = 4513 - 25  # zone z (25..45) → 4488 + z
_GK3_CM_EPSG0 = 4534  # CM 75E → 4534, step 3 degrees
# CGCS2000 6-degree Gauss-Kruger
_GK6_ZONE_EPSG0 = 4491 - 13  # zone z (13..23) → 4478 + z
_GK6_CM_EPSG0 = 4502  # CM 75E → 4502, step 6 degrees


@dataclass(frozen=True)
class CRSGuess:
    """A guessed CRS.

    Attributes
    ----------
    crs : str or None
        ``EPSG:xxxx``; None when nothing fits.
    confidence : {"high", "medium", "low", "none"}
    reason : str
        Why, in one sentence a planner can check (a :class:`heatgis.text.Text`).
    alternatives : tuple of str
        Other CRSs the numbers also fit (``EPSG:xxxx``, or a ``Text`` describing one).
    """

    crs: str | None
    confidence: str
    reason: str
    alternatives: tuple[str, ...] = field(default_factory=tuple)


def gk3_epsg_for_cm(cm: float, zone_prefix: bool = False) -> int:
    """EPSG code of the CGCS2000 3-degree zone with central meridian ``cm`` (75..135)."""
    k = int(round((cm - 75) / 3))
    if not 0 <= k <= 20:
        raise ValueError(f"central meridian {cm} is outside China's 3-degree zones (75E..135E)")
    return _GK3_ZONE_EPSG0 + (25 + k) if zone_prefix else _GK3_CM_EPSG0 + k


def cm_of_crs(crs) -> float | None:
    """The central meridian of a transverse-Mercator CRS, or None."""
    from pyproj import CRS

    try:
        c = CRS.from_user_input(crs)
    except Exception:
        return None
    if not c.is_projected or c.coordinate_operation is None:
        return None
    for p in c.coordinate_operation.params:
        name = p.name.lower()
        if "central meridian" in name or ("longitude" in name and "origin" in name):
            return float(p.value)
    return None


def guess_crs(x, y, hint_lon: float | None = None, project_crs: str | None = None) -> CRSGuess:
    """Guess the CRS of coordinates that came without one.

    Parameters
    ----------
    x, y : array_like
        Eastings/longitudes and northings/latitudes (any number of points).
    hint_lon : float, optional
        A longitude in the area (e.g. 111.7 for Hohhot) to pick the central
        meridian of Gauss-Kruger coordinates written without the zone prefix.
    project_crs : str, optional
        The project's CRS; used as the hint when it is a Gauss-Kruger CRS.

    Returns
    -------
    CRSGuess
    """
    x = np.asarray(x, dtype="float64").ravel()
    y = np.asarray(y, dtype="float64").ravel()
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) == 0:
        return CRSGuess(None, "none", Text("there are no coordinates to look at", "没有可供判断的坐标"))
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    rng = f"x {x0:,.6g}..{x1:,.6g}, y {y0:,.6g}..{y1:,.6g}"

    if x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90:
        if x0 >= 72 and x1 <= 136 and y0 >= 3 and y1 <= 54:
            return CRSGuess(
                "EPSG:4326",
                "high",
                Text(
                    "the coordinates are longitudes/latitudes in China ({rng}); taken as WGS84. "
                    "If they were copied from Amap or Tencent they are GCJ-02, from Baidu BD-09: "
                    "say so with --from-crs gcj02 / bd09",
                    "坐标是中国境内的经纬度（{rng}）；按 WGS84 读取。"
                    "如果是从高德或腾讯复制的，则为 GCJ-02，从百度复制的则为 BD-09："
                    "请用 --from-crs gcj02 / bd09 说明",
                    rng=rng,
                ),
                ("EPSG:4490",),
            )
        return CRSGuess(
            "EPSG:4326",
            "medium",
            Text("the coordinates look like longitudes/latitudes ({rng})", "坐标看起来是经纬度（{rng}）", rng=rng),
            ("EPSG:4490",),
        )

    # northings of China: 0.3e6 (south sea islands aside, ~2e6) .. 6.0e6 m
    north_ok = y0 >= 1.0e6 and y1 <= 6.2e6
    zone = np.floor(x / 1e6)
    if north_ok and zone.min() == zone.max():
        z = int(zone[0])
        easting = x - z * 1e6
        if 25 <= z <= 45 and easting.min() > 0 and easting.max() < 1e6:
            code = _GK3_ZONE_EPSG0 + z
            cm = 75 + 3 * (z - 25)
            return CRSGuess(
                f"EPSG:{code}",
                "high",
                Text(
                    "eastings start with the zone number {z} ({rng}): CGCS2000 3-degree "
                    "Gauss-Kruger zone {z} (CM {cm}E), with the zone prefix",
                    "东坐标以带号 {z} 开头（{rng}）：CGCS2000 3 度带高斯-克吕格投影第 {z} 带"
                    "（中央经线 {cm}°E），带带号",
                    z=z,
                    rng=rng,
                    cm=cm,
                ),
                (f"EPSG:{_GK3_CM_EPSG0 + (z - 25)}",),
            )
        if 13 <= z <= 23 and easting.min() > 0 and easting.max() < 1e6:
            code = _GK6_ZONE_EPSG0 + z
            cm = 75 + 6 * (z - 13)
            return CRSGuess(
                f"EPSG:{code}",
                "medium",
                Text(
                    "eastings start with {z} ({rng}): CGCS2000 6-degree Gauss-Kruger zone {z} "
                    "(CM {cm}E) with the zone prefix. Web-Mercator (EPSG:3857) can give such "
                    "numbers too",
                    "东坐标以 {z} 开头（{rng}）：CGCS2000 6 度带高斯-克吕格投影第 {z} 带"
                    "（中央经线 {cm}°E），带带号。Web 墨卡托（EPSG:3857）也会给出这样的数值",
                    z=z,
                    rng=rng,
                    cm=cm,
                ),
                ("EPSG:3857",),
            )

    if north_ok and x0 > 0 and x1 < 1.0e6:
        mid: float | None = None
        why: Text | str = ""
        if hint_lon is not None:
            mid = 75 + 3 * round((hint_lon - 75) / 3)
            why = Text(
                "central meridian {mid}E from the longitude {lon:g} given",
                "中央经线 {mid}°E，取自给定的经度 {lon:g}",
                mid=mid,
                lon=hint_lon,
            )
        elif project_crs is not None and cm_of_crs(project_crs) is not None:
            mid = cm_of_crs(project_crs)
            why = Text(
                "central meridian {mid:g}E taken from the project's {crs}",
                "中央经线 {mid:g}°E，取自项目的 {crs}",
                mid=mid,
                crs=project_crs,
            )
        if mid is not None and 75 <= mid <= 135:
            code = gk3_epsg_for_cm(mid)
            return CRSGuess(
                f"EPSG:{code}",
                "medium",
                Text(
                    "eastings around 500,000 without a zone prefix ({rng}): CGCS2000 3-degree "
                    "Gauss-Kruger; {why}. The numbers alone cannot tell the zone",
                    "东坐标在 500,000 左右，不带带号（{rng}）：CGCS2000 3 度带高斯-克吕格投影；{why}。"
                    "仅凭数值无法判断分带",
                    rng=rng,
                    why=why,
                ),
                (
                    f"EPSG:{_GK3_ZONE_EPSG0 + 25 + round((mid - 75) / 3)}",
                    Text(
                        "a local survey grid (城建坐标系) if the plans came from a CAD office",
                        "如果图纸来自设计院的 CAD，也可能是地方城建坐标系",
                    ),
                ),
            )
        return CRSGuess(
            None,
            "low",
            Text(
                "eastings around 500,000 without a zone prefix ({rng}): Gauss-Kruger, "
                "but the central meridian is unknown",
                "东坐标在 500,000 左右，不带带号（{rng}）：是高斯-克吕格投影，但中央经线未知",
                rng=rng,
            ),
            tuple(f"EPSG:{gk3_epsg_for_cm(c)}" for c in range(105, 127, 3)),
        )

    if x0 >= -2.0038e7 and x1 <= 2.0038e7 and y0 > 0 and y1 < 8.0e6 and x0 > 7.5e6:
        return CRSGuess(
            "EPSG:3857",
            "low",
            Text(
                "the numbers fit Web-Mercator metres over China ({rng})",
                "数值符合中国范围内以米为单位的 Web 墨卡托坐标（{rng}）",
                rng=rng,
            ),
        )
    return CRSGuess(
        None,
        "none",
        Text(
            "the coordinates fit no coordinate system I know ({rng}); they may be a local CAD grid",
            "坐标不符合任何已知的坐标系（{rng}）；可能是地方 CAD 坐标网",
            rng=rng,
        ),
    )
