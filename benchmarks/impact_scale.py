"""``heatgis impact`` at province scale against a plain script, time and peak memory, in one run.

    python benchmarks/impact_scale.py [--stations 500000] [--zones 20000] [--dir DIR]

Generates (deterministically, seed 7; cached in DIR, default the system temp folder) a project
of N stations and M lockdown zones spread over a 150 x 150 km province, then runs, each in a
fresh process so peak memory (ru_maxrss) is its own:

- ``plain``: the shortest honest script giving the same totals: pyogrio reads the two layers,
  shapely's STRtree pairs zones and stations, numpy sums the locked sites;
- ``heatgis impact FILE`` (text), ``heatgis impact FILE --json`` and ``--csv``.

Prints seconds (wall and CPU: on a shared machine the CPU ratio is the steadier one) and MB
for each and the ratio to ``plain`` (target: within 1.5x in time and memory), and checks that the figures agree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AT = "2022-02-25T08:00"
CRS = "EPSG:4546"

PLAIN = r"""
import sys, resource, json
import numpy as np, pandas as pd, pyogrio, shapely
path, at = sys.argv[1], pd.Timestamp(sys.argv[2])
st = pyogrio.read_dataframe(path, layer="stations", columns=["station_id", "heated_area_m2", "households"])
z = pyogrio.read_dataframe(path, layer="lockdown_zones", columns=["zone_id", "level", "start", "end"])
start = pd.to_datetime(z["start"]).to_numpy()
end = pd.to_datetime(z["end"]).to_numpy()
active = (start <= np.datetime64(at)) & (pd.isna(end) | (end > np.datetime64(at)))
locking = active & z["level"].isin(["sealed", "controlled"]).to_numpy()
tree = shapely.STRtree(np.asarray(st.geometry.values))
zi, si = tree.query(np.asarray(z.geometry.values)[locking], predicate="intersects")
locked = np.unique(si)
out = {"stations": int(len(locked)), "heated_area_m2": float(st["heated_area_m2"].to_numpy()[locked].sum()),
       "households": int(st["households"].to_numpy()[locked].sum())}
print(json.dumps(out))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

HEATGIS = r"""
import sys, resource, contextlib, io, os
from heatgis.cli import main
sink = open(os.devnull, "w") if sys.argv[1] == "-" else open(sys.argv[1], "w")
with contextlib.redirect_stdout(sink):
    code = main(sys.argv[2:])
sink.close()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def generate(path: Path, n_stations: int, n_zones: int, seed: int = 7) -> Path:
    """Write the province project (stations, lockdown_zones, heatgis_meta) to ``path``."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    rng = np.random.default_rng(seed)
    x0, y0, size = 37_400_000.0, 4_450_000.0, 150_000.0
    xy = rng.random((n_stations, 2)) * size + [x0, y0]
    ids = np.char.add("ST-", np.char.zfill(np.arange(n_stations).astype(str), 6))
    stations = gpd.GeoDataFrame(
        {
            "station_id": ids,
            "name": np.char.add("站", np.arange(n_stations).astype(str)),
            "network_id": np.char.add("N", (np.arange(n_stations) % 40).astype(str)),
            "heated_area_m2": rng.integers(20_000, 300_000, n_stations).astype(float),
            "households": rng.integers(200, 4_000, n_stations),
            "design_load_kw": rng.integers(500, 8_000, n_stations).astype(float),
            "compound_id": None,
            "depot_id": "D01",
            "address": "",
        },
        geometry=shapely.points(xy),
        crs=CRS,
    )
    centres = rng.random((n_zones, 2)) * size + [x0, y0]
    radius = rng.uniform(150, 1_200, n_zones)
    zones_geom = shapely.buffer(shapely.points(centres), radius, quad_segs=4)
    levels = rng.choice(["sealed", "controlled", "precaution"], n_zones, p=[0.4, 0.3, 0.3])
    t0 = pd.Timestamp("2022-02-16T08:00")
    start = t0 + pd.to_timedelta(rng.integers(0, 14 * 24, n_zones), unit="h")
    ends = start + pd.to_timedelta(rng.integers(24, 21 * 24, n_zones), unit="h")
    zones = gpd.GeoDataFrame(
        {
            "zone_id": np.char.add("Z-", np.char.zfill(np.arange(n_zones).astype(str), 5)),
            "name": np.char.add("管控区", np.arange(n_zones).astype(str)),
            "level": levels,
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": np.where(rng.random(n_zones) < 0.3, None, ends.strftime("%Y-%m-%dT%H:%M")),
            "source": "benchmark",
            "notes": "",
        },
        geometry=zones_geom,
        crs=CRS,
    )
    tmp = path.with_suffix(".tmp.gpkg")
    if tmp.exists():
        tmp.unlink()
    stations.to_file(tmp, layer="stations", driver="GPKG")
    zones.to_file(tmp, layer="lockdown_zones", driver="GPKG")
    meta = pd.DataFrame({"key": ["name", "crs", "reference_time"], "value": ["province benchmark", CRS, AT]})
    import pyogrio

    pyogrio.write_dataframe(meta, tmp, layer="heatgis_meta", driver="GPKG")
    os.replace(tmp, path)
    return path


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(code: str, args: list[str]) -> tuple[float, float, str]:
    """Seconds, peak MB and stdout of ``python -c code args`` in a fresh process.

    Also sets ``run.cpu``: the process's CPU seconds (user + system), which other people's
    work on a shared machine inflates far less than the wall time.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    c = _children_cpu()
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t
    run.cpu = _children_cpu() - c  # type: ignore[attr-defined]
    if p.returncode != 0:
        raise SystemExit(f"failed: {args}\n{p.stderr[-2000:]}")
    maxrss_kb = int(p.stderr.strip().splitlines()[-1])
    return dt, maxrss_kb / 1024, p.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=500_000)
    ap.add_argument("--zones", type=int, default=20_000)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    path = Path(a.dir) / f"heatgis_province_{a.stations}_{a.zones}.gpkg"
    if not path.exists():
        t = time.perf_counter()
        generate(path, a.stations, a.zones)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
    plain_t, plain_mb, out = run(PLAIN, [str(path), AT])
    plain_cpu = run.cpu  # type: ignore[attr-defined]
    plain = json.loads(out)
    print(
        f"{'plain script':28s} {plain_t:7.2f} s {plain_cpu:6.2f} s cpu {plain_mb:6.0f} MB"
        f"   (locked {plain['stations']:,} stations)"
    )
    jpath = Path(a.dir) / "heatgis_province_impact.json"
    cases = [
        ("heatgis impact (text)", "-", [str(path)]),
        ("heatgis impact --json", str(jpath), [str(path), "--json"]),
        ("heatgis impact --csv", "-", [str(path), "--csv", str(Path(a.dir) / "heatgis_province_sites.csv")]),
    ]
    ok = True
    for label, out_path, args in cases:
        dt, mb, _ = run(HEATGIS, [out_path, "impact", *args, "--at", AT])
        cpu = run.cpu  # type: ignore[attr-defined]
        verdict = "ok" if dt <= 1.5 * plain_t and mb <= 1.5 * plain_mb else "OVER 1.5x"
        ok &= verdict == "ok"
        print(
            f"{label:28s} {dt:7.2f} s {cpu:6.2f} s cpu {mb:6.0f} MB   time x{dt / plain_t:4.2f}"
            f"  cpu x{cpu / plain_cpu:4.2f}  memory x{mb / plain_mb:4.2f}  {verdict}"
        )
        if "--json" in args:
            doc = json.loads(Path(out_path).read_text(encoding="utf-8"))
            t = doc["locked"]
            same = (
                t["stations"] == plain["stations"]
                and t["households"] == plain["households"]
                and abs(t["heated_area_m2"] - plain["heated_area_m2"]) < 1
            )
            print(f"{'':28s} figures equal to the plain script: {same}")
            ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
