"""Import speed: 100k-feature Shapefile and GeoPackage, and GCJ-02 conversion of 1M points.

    python benchmarks/io.py [--n 100000] [--points 1000000] [--repeat 3]

Baselines measured in the same run:
- the plain GDAL read (``geopandas.read_file``, pyogrio engine) of the same file: what a
  raw read costs; ``import_layer`` adds encoding detection, the field mapping, geometry
  repair, reprojection, contract conformance and validation on top;
- when pyarrow is installed (it is optional), the import is timed twice, through Arrow
  and without it (``heatgis.io.fastread.USE_ARROW``), so the gain shows in one run;
- a per-point Python loop of the same GCJ-02 formulas (timed on 20,000 points and
  scaled to the full count) against the vectorized :func:`gcj02_to_wgs84`; the forward
  :func:`wgs84_to_gcj02` (one evaluation of the offset) is timed beside it.
- a GBK CSV of GCJ-02 longitudes/latitudes without a CRS imported into the demo: with the
  WGS84/GCJ-02/BD-09 test against the project (the default) and with ``from_crs="gcj02"``
  given, so the cost of the test shows as a ratio.
Targets: 100k features imported under 2 s; 1M points converted under 0.5 s.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from heatgis.io import fastread
from heatgis.io.chinacrs import gcj02_to_wgs84, wgs84_to_gcj02
from heatgis.io.importer import import_layer
from heatgis.model.project import Project


def best(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def make_stations(n, seed=7):
    rng = np.random.default_rng(seed)
    x = 540_000 + rng.random(n) * 30_000
    y = 4_505_000 + rng.random(n) * 30_000
    return gpd.GeoDataFrame(
        {
            "站号": [f"S{i:06d}" for i in range(n)],
            "站名": [f"青城花园{i}号换热站" for i in range(n)],
            "管网": rng.choice(["N1", "N2", "N3"], n),
            "面积万㎡": rng.random(n).round(3) * 20,
            "户数": rng.integers(10, 3000, n),
            "负荷kW": rng.random(n) * 9000,
            "运营所": rng.choice(["D1", "D2"], n),
            "地址": "新城区海拉尔大街",
        },
        geometry=shapely.points(x, y),
        crs="EPSG:4546",
    )


def make_compounds(n, seed=8):
    rng = np.random.default_rng(seed)
    x = 540_000 + rng.random(n) * 30_000
    y = 4_505_000 + rng.random(n) * 30_000
    geoms = shapely.box(x, y, x + 80, y + 60)
    return gpd.GeoDataFrame(
        {
            "小区编号": [f"C{i:06d}" for i in range(n)],
            "小区名称": [f"电力小区{i}" for i in range(n)],
            "所在区": "赛罕区",
            "户数": rng.integers(10, 3000, n),
        },
        geometry=geoms,
        crs="EPSG:4546",
    )


def _py_gcj02_to_wgs84(lon, lat):
    """One point, pure Python (the same formulas and fixed-point iteration)."""
    a, ee = 6378245.0, 0.00669342162296594323

    def tlat(x, y):
        r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
        r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
        r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
        return r

    def tlon(x, y):
        r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
        r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
        r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
        return r

    def delta(lo, la):
        dla, dlo = tlat(lo - 105.0, la - 35.0), tlon(lo - 105.0, la - 35.0)
        rad = la / 180.0 * math.pi
        magic = 1 - ee * math.sin(rad) ** 2
        sm = math.sqrt(magic)
        return (dlo * 180.0) / (a / sm * math.cos(rad) * math.pi), (dla * 180.0) / (
            (a * (1 - ee)) / (magic * sm) * math.pi
        )

    wlo, wla = lon, lat
    for _ in range(30):
        dlo, dla = delta(wlo, wla)
        nlo, nla = lon - dlo, lat - dla
        done = abs(nlo - wlo) < 1e-10 and abs(nla - wla) < 1e-10
        wlo, wla = nlo, nla
        if done:
            break
    return wlo, wla


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--csv", type=int, default=20_000, help="rows of the lon/lat CSV without a CRS")
    args = ap.parse_args(argv)
    project = Project()
    arrow = importlib.util.find_spec("pyarrow") is not None
    modes = [("arrow", True), ("no arrow", False)] if arrow else [("no pyarrow", False)]
    print(
        f"import of {args.n:,} features (best of {args.repeat}); pyarrow "
        f"{'installed: timed with and without Arrow' if arrow else 'not installed'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, layer, frame in (
            ("stations (points)", "stations", make_stations(args.n)),
            ("compounds (polygons)", "compounds", make_compounds(args.n)),
        ):
            for fmt, name, kw in (
                ("Shapefile GBK, no .cpg", "s.shp", {"encoding": "GBK"}),
                ("GeoPackage", "s.gpkg", {}),
            ):
                path = tmp / f"{layer}-{name}"
                pyogrio.write_dataframe(frame, path, **kw)
                if path.with_suffix(".cpg").exists():
                    path.with_suffix(".cpg").unlink()
                t_base, _ = best(lambda: gpd.read_file(path, encoding=kw.get("encoding")), args.repeat)
                for mode, use in modes:
                    fastread.USE_ARROW = use
                    t_ours, r = best(lambda: import_layer(project, path, layer), args.repeat)
                    assert r.n_imported == args.n
                    ok = "OK" if t_ours < 2.0 else "SLOW"
                    print(
                        f"  {label:22s} {fmt:24s} read_file {t_base * 1e3:7.0f} ms | import_layer "
                        f"{t_ours * 1e3:7.0f} ms ({mode:10s}) ratio import/read {t_ours / t_base:4.1f}x  "
                        f"target <2 s: {ok}"
                    )
                fastread.USE_ARROW = None

    offset_test(args.csv, args.repeat)

    rng = np.random.default_rng(1)
    lon = 111.4 + rng.random(args.points) * 0.8
    lat = 40.6 + rng.random(args.points) * 0.5
    glon, glat = wgs84_to_gcj02(lon, lat)
    t_fwd, _ = best(lambda: wgs84_to_gcj02(lon, lat), args.repeat)
    t_vec, (wl, wa) = best(lambda: gcj02_to_wgs84(glon, glat), args.repeat)
    k = 20_000
    t = time.perf_counter()
    loop = [_py_gcj02_to_wgs84(a, b) for a, b in zip(glon[:k].tolist(), glat[:k].tolist())]
    t_loop = (time.perf_counter() - t) * args.points / k
    err_m = float(np.max(np.hypot((wl - lon) * 111_320 * np.cos(np.radians(lat)), (wa - lat) * 110_574)))
    agree = float(np.max(np.abs(np.array(loop) - np.column_stack([wl[:k], wa[:k]]))))
    ok = "OK" if t_vec < 0.5 else "SLOW"
    print(
        f"GCJ-02 → WGS84 of {args.points:,} points: vectorized {t_vec * 1e3:6.0f} ms | Python loop "
        f"{t_loop * 1e3:8.0f} ms (timed on {k:,}, scaled)  ratio loop/vectorized {t_loop / t_vec:5.0f}x  "
        f"target <0.5 s: {ok}"
    )
    print(
        f"WGS84 → GCJ-02 (forward, one offset evaluation) of {args.points:,} points: {t_fwd * 1e3:6.0f} ms; "
        f"inverse/forward {t_vec / t_fwd:3.1f}x"
    )
    print(
        f"  round trip WGS84 → GCJ-02 → WGS84: max error {err_m * 1000:.3f} mm; loop vs vectorized "
        f"max difference {agree:.1e} degrees"
    )


def offset_test(n, repeat):
    """Import of an n-row Amap CSV (no CRS) into the demo: offset test vs ``--from-crs gcj02``."""
    import pandas as pd

    from heatgis.model.store import open_project

    demo = open_project(Path(__file__).resolve().parents[1] / "data" / "hohhot_demo.gpkg")
    st = demo.layer("stations")
    take = np.arange(n) % len(st)
    ll = st.geometry.to_crs("EPSG:4326")
    glon, glat = wgs84_to_gcj02(ll.x.to_numpy()[take], ll.y.to_numpy()[take])
    df = pd.DataFrame(
        {
            "站点编号": [f"X{i:06d}" for i in range(n)],
            "站点名称": st["name"].to_numpy()[take],
            "供热面积": st["heated_area_m2"].to_numpy()[take] / 1e4,
            "户数": st["households"].to_numpy()[take],
            "所属管网": st["network_id"].to_numpy()[take],
            "运营所": st["depot_id"].to_numpy()[take],
            "经度": glon.round(8),
            "纬度": glat.round(8),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "站点表.csv"
        df.to_csv(path, index=False, encoding="gbk")
        t_told, _ = best(lambda: import_layer(demo, path, "stations", from_crs="gcj02"), repeat)
        t_test, r = best(lambda: import_layer(demo, path, "stations"), repeat)
    assert r.source_crs == "GCJ-02"
    print(
        f"GBK CSV of {n:,} GCJ-02 stations, no CRS, into the demo: --from-crs gcj02 given {t_told * 1e3:6.0f} ms | "
        f"tested against the project {t_test * 1e3:6.0f} ms  ratio {t_test / t_told:4.2f}x (evidence on at most "
        "2,000 rows)"
    )


if __name__ == "__main__":
    main()
