"""Export speed: A3 landscape 300-dpi PDF and PNG of the demo and of the 10x city.

Prints seconds and ratios against a baseline measured in the same run (the
impact computation of the same project). Target: demo A3 PDF under 3 s.

    python benchmarks/export.py [--no-10x]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(project, label, out: Path) -> None:
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.export.pages import map_renderer, situation_page
    from heatgis.export.pdf import write_pdf, write_png
    from heatgis.render.layout import PageSpec

    t = time.perf_counter()
    result = ImpactEngine(project).compute(project.layer("lockdown_zones"), project.reference_time)
    base = time.perf_counter() - t
    spec = PageSpec("A3", True, 300)
    t = time.perf_counter()
    r = map_renderer(project, result)
    page = situation_page(project, result, r)
    write_pdf([page], spec, out / f"{label}.pdf", r)
    pdf_cold = time.perf_counter() - t
    t = time.perf_counter()
    write_pdf([page], spec, out / f"{label}.pdf", r)
    pdf_warm = time.perf_counter() - t
    t = time.perf_counter()
    write_png(page, spec, out / f"{label}.png", r)
    png = time.perf_counter() - t
    from heatgis.export.pdf import encode_png, page_image

    t = time.perf_counter()
    img = page_image(page, spec, r)
    paint = time.perf_counter() - t
    t = time.perf_counter()
    img.save(str(out / f"{label}-qt.png"), "PNG")
    qt_png = time.perf_counter() - t
    t = time.perf_counter()
    encode_png(img, out / f"{label}-ours.png")
    ours = time.perf_counter() - t
    print(
        f"{label:>6}: A3 300-dpi page painted {paint:5.2f} s; PNG encoded by Qt's default {qt_png:5.2f} s, "
        f"by encode_png {ours:5.2f} s ({qt_png / ours:4.1f}x faster; "
        f"{(out / f'{label}-ours.png').stat().st_size / 1e6:.1f} MB vs "
        f"{(out / f'{label}-qt.png').stat().st_size / 1e6:.1f} MB)"
    )
    size = (out / f"{label}.pdf").stat().st_size / 1e6
    print(
        f"{label:>6}: impact baseline {base:6.2f} s | A3 PDF {pdf_cold:6.2f} s cold "
        f"({pdf_cold / base:5.1f}x), {pdf_warm:6.2f} s warm ({pdf_warm / base:5.1f}x), {size:5.1f} MB | "
        f"A3 300-dpi PNG {png:6.2f} s ({png / base:5.1f}x)"
    )


def main() -> None:
    from heatgis.export.pdf import ensure_gui_app
    from heatgis.model.store import open_project
    from heatgis.sample import tile_project

    ensure_gui_app()
    demo = open_project(ROOT / "data" / "hohhot_demo.gpkg")
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        bench(demo, "demo", out)
        if "--no-10x" not in sys.argv:
            bench(tile_project(demo, 10), "10x", out)
    print("target: demo A3 PDF (cold, renderer prepared included) under 3 s")


if __name__ == "__main__":
    main()
