"""``heatgis report --basemap``: the offline tiles behind the printed map and the slide map (a small
MBTiles made here, one colour, over the demo city)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from pyproj import Transformer

pytestmark = pytest.mark.usefixtures("qapp")

Z = 11
MAGENTA = (255, 0, 255)


def _png(rgb) -> bytes:
    from PySide6 import QtCore, QtGui

    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor(*rgb))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())


@pytest.fixture(scope="module")
def tiles(demo_project, tmp_path_factory):
    from heatgis.render.basemap import lonlat_to_tile

    b = demo_project.layer("districts").total_bounds
    tf = Transformer.from_crs(demo_project.crs, "EPSG:4326", always_xy=True)
    lon0, lat0 = tf.transform(b[0], b[1])
    lon1, lat1 = tf.transform(b[2], b[3])
    x0, y1 = (int(np.floor(v)) for v in lonlat_to_tile(lon0, lat0, Z))
    x1, y0 = (int(np.floor(v)) for v in lonlat_to_tile(lon1, lat1, Z))
    path = tmp_path_factory.mktemp("tiles") / "city.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", "png"), ("minzoom", str(Z)), ("maxzoom", str(Z))])
    data = _png(MAGENTA)
    rows = [(Z, x, (1 << Z) - 1 - y, data) for x in range(x0 - 1, x1 + 2) for y in range(y0 - 1, y1 + 2)]
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    return path


def _magenta_share(path) -> float:
    from PIL import Image

    a = np.asarray(Image.open(path).convert("RGB")).astype(int)
    m = (a[..., 0] > 200) & (a[..., 2] > 200) & (a[..., 1] < 120)
    return float(m.mean())


def test_report_draws_the_basemap_on_the_map_and_the_slide(demo_project, tiles, tmp_path, monkeypatch):
    from heatgis.export import briefing
    from heatgis.export.report import write_report

    slide_maps = []
    real = briefing.slide_map_png

    def keep(renderer, extent, path, lang="zh", width=2400):
        out = real(renderer, extent, path, lang, width)
        kept = tmp_path / "slide_map.png"
        kept.write_bytes(out.read_bytes())
        slide_maps.append(kept)
        return out

    monkeypatch.setattr(briefing, "slide_map_png", keep)
    with_tiles = write_report(demo_project, tmp_path / "a", plans=False, basemap=str(tiles), record=False)
    assert _magenta_share(with_tiles.png) > 0.05
    assert _magenta_share(slide_maps[0]) > 0.05
    assert not (tmp_path / "a" / "published.json").exists()  # record=False
    plain = write_report(demo_project, tmp_path / "b", plans=False, record=False)  # off by default
    assert _magenta_share(plain.png) < 0.001  # a few legend or ring pixels at most


def test_report_rejects_a_missing_basemap(demo_project, tmp_path):
    from heatgis.errors import HeatGISError
    from heatgis.export.report import write_report

    with pytest.raises(HeatGISError):
        write_report(demo_project, tmp_path, plans=False, basemap=str(tmp_path / "none.mbtiles"))
