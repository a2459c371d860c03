"""``python -m heatgis.sample PATH [--force]``: regenerate the demo city file and print its counts.

PATH defaults to the bundled demo, which is only rewritten with ``--force``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from heatgis.errors import HeatGISError
from heatgis.paths import DEMO_PATH as DEFAULT
from heatgis.sample.demo import generate_demo


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    force = "--force" in argv
    argv = [a for a in argv if a != "--force"]
    path = Path(argv[0]) if argv else DEFAULT
    t = time.perf_counter()
    try:
        project = generate_demo(path=path, force=force)
    except HeatGISError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    print(f"{path}  ({time.perf_counter() - t:.1f} s, {path.stat().st_size / 1e6:.1f} MB)")
    for name, frame in project.layers.items():
        print(f"  {name:15s} {len(frame):7,d}")
    st, br = project.layers["stations"], project.layers["boiler_rooms"]
    print(
        f"  heated area {st.heated_area_m2.sum() + br.heated_area_m2.sum():,.0f} m2, "
        f"households {int(st.households.sum() + br.households.sum()):,d}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
