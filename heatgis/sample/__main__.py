"""``python -m heatgis.sample [PATH]``: regenerate the demo city file and print its counts."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from heatgis.sample.demo import generate_demo

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT
    t = time.perf_counter()
    project = generate_demo(path=path)
    print(f"{path}  ({time.perf_counter() - t:.1f} s, {path.stat().st_size / 1e6:.1f} MB)")
    for name, frame in project.layers.items():
        print(f"  {name:15s} {len(frame):7,d}")
    st, br = project.layers["stations"], project.layers["boiler_rooms"]
    print(f"  heated area {st.heated_area_m2.sum() + br.heated_area_m2.sum():,.0f} m2, "
          f"households {int(st.households.sum() + br.households.sum()):,d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
