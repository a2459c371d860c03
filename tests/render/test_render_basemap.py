"""The offline basemap: a small MBTiles (and the same tiles as a z/x/y folder) drawn under the data at
the right place, in the project CRS; GCJ-02 tiles shifted back by the China offset; the disk cache."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

pytestmark = pytest.mark.usefixtures("qapp")

CRS = "EPSG:4546"
LON, LAT = 111.6708, 40.8183  # Hohhot, Xinhua Square
Z = 14
SIZE = 800  # px of the rendered map
HALF = 2000.0  # metres: the map shows 4 km x 4 km, 5 m per pixel
COLOURS = [
    (200, 60, 60),
    (60, 170, 60),
    (60, 60, 200),
    (220, 200, 40),
    (40, 200, 210),
    (190, 60, 190),
    (120, 120, 120),
    (240, 140, 40),
    (110, 70, 30),
]


def _tiles():
    """The 3 x 3 tiles around Xinhua Square at zoom 14 (plus one around its GCJ-02 position), each one colour."""
    from heatgis.render.basemap import lonlat_to_tile

    tx, ty = (int(np.floor(v)) for v in lonlat_to_tile(LON, LAT, Z))
    out = {}
    for k, (i, j) in enumerate((i, j) for j in (-1, 0, 1) for i in (-1, 0, 1)):
        out[(tx + i, ty + j)] = COLOURS[k]
    for i in (2, 3):  # GCJ-02 lies east of WGS84 here: one more column
        for j in (-1, 0, 1):
            out[(tx + i, ty + j)] = (30 + 40 * i, 90, 30 + 60 * (j + 1))
    return tx, ty, out


def _png(rgb) -> bytes:
    from PySide6 import QtCore, QtGui

    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor(*rgb))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())


@pytest.fixture(scope="module")
def mbtiles(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiles") / "city.mbtiles"
    tx, ty, tiles = _tiles()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [("name", "test"), ("format", "png"), ("minzoom", str(Z)), ("maxzoom", str(Z))],
    )
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)", [(Z, x, (1 << Z) - 1 - y, _png(c)) for (x, y), c in tiles.items()]
    )  # TMS rows
    db.commit()
    db.close()
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("xyz")
    for (x, y), c in _tiles()[2].items():
        (root / str(Z) / str(x)).mkdir(parents=True, exist_ok=True)
        (root / str(Z) / str(x) / f"{y}.png").write_bytes(_png(c))
    return root


def _project():
    from heatgis.model.project import Project
    from heatgis.model.schema import conform

    x, y = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(LON, LAT)
    pts = [shapely.Point(x + dx, y + dy) for dx, dy in ((0, 0), (-700, 400), (900, -600))]
    st = conform(
        "stations",
        gpd.GeoDataFrame(pd.DataFrame({"station_id": ["S1", "S2", "S3"], "name": ["", "", ""]}), geometry=pts, crs=CRS),
    )
    return Project({"stations": st}, meta={"crs": CRS}), (x, y)


def _render(basemap, centre_shift=(0.0, 0.0)):
    from PySide6 import QtCore, QtGui

    from heatgis.render.cvd import image_array
    from heatgis.render.mapdraw import MapRenderer

    project, (x, y) = _project()
    r = MapRenderer(project)
    r.set_basemap(basemap)
    img = QtGui.QImage(SIZE, SIZE, QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(img)
    cx, cy = x + centre_shift[0], y + centre_shift[1]
    ctx = r.render(p, (cx - HALF, cy - HALF, cx + HALF, cy + HALF), QtCore.QRectF(0, 0, SIZE, SIZE), scale_bar=False)
    p.end()
    return image_array(img), ctx, project


def _device(ctx, x, y):
    x0, y0, x1, y1 = ctx.extent
    return (x - x0) / ctx.m_per_px, (y1 - y) / ctx.m_per_px


def _edge_col(rgb, row: int, left, right) -> float:
    """Where along ``row`` the colour turns from ``left`` to ``right`` (device x of the boundary)."""
    line = rgb[row].astype(int)
    is_left = np.flatnonzero(np.abs(line - np.array(left)).max(axis=1) <= 6)
    is_right = np.flatnonzero(np.abs(line - np.array(right)).max(axis=1) <= 6)
    assert len(is_left) and len(is_right), "the two tiles are not on this row"
    first_right = is_right[is_right > is_left.min()].min()
    last_left = is_left[is_left < first_right].max()
    assert first_right - last_left <= 3  # at most two blended pixels between them (smooth scaling)
    return (last_left + 1 + first_right) / 2


def _expected_edge(basemap, ctx, tx, ty):
    """Device column and row of the edge between tiles tx and tx+1, half way down tile ty."""
    from heatgis.render.basemap import tile_to_lonlat

    lon, lat = tile_to_lonlat(tx + 1, ty + 0.5, Z)
    x, y = basemap.from_tile_lonlat(lon, lat)
    return _device(ctx, float(x), float(y))


def test_mbtiles_drawn_under_the_data_at_the_right_place(mbtiles, tmp_path):
    from heatgis.render.basemap import Basemap

    bm = Basemap(mbtiles, CRS, cache_dir=tmp_path / "cache")
    rgb, ctx, project = _render(bm)
    tx, ty, tiles = _tiles()
    assert bm.drawn >= 4
    col, row = _expected_edge(bm, ctx, tx, ty)
    found = _edge_col(rgb, int(round(row)), tiles[(tx, ty)], tiles[(tx + 1, ty)])
    assert abs(found - col) <= 1.5, (found, col)
    # the tile under the centre has its colour; the station drawn on it has the station's
    st = project.layer("stations").geometry
    sx, sy = _device(ctx, st.x.iloc[0], st.y.iloc[0])
    assert tuple(rgb[int(sy), int(sx)]) != tiles[(tx, ty)]
    assert np.abs(rgb[int(sy), int(sx)].astype(int) - (31, 95, 191)).max() < 40  # the stations' blue
    assert np.abs(rgb[int(sy) + 25, int(sx) + 25].astype(int) - tiles[(tx, ty)]).max() <= 6


def test_gcj02_tiles_are_shifted_back_by_the_china_offset(mbtiles, tmp_path):
    from heatgis.io.chinacrs import gcj02_to_wgs84
    from heatgis.render.basemap import Basemap, tile_to_lonlat

    tx, ty, tiles = _tiles()
    plain = Basemap(mbtiles, CRS, cache_dir=tmp_path / "c")
    gcj = Basemap(mbtiles, CRS, gcj02=True, cache_dir=tmp_path / "c")
    assert gcj.key != plain.key  # their warped tiles are cached apart
    rgb0, ctx0, _ = _render(plain)
    rgb1, ctx1, _ = _render(gcj)
    col0, row0 = _expected_edge(plain, ctx0, tx, ty)
    col1, row1 = _expected_edge(gcj, ctx1, tx, ty)
    f0 = _edge_col(rgb0, int(round(row0)), tiles[(tx, ty)], tiles[(tx + 1, ty)])
    f1 = _edge_col(rgb1, int(round(row1)), tiles[(tx, ty)], tiles[(tx + 1, ty)])
    assert abs(f1 - col1) <= 1.5, (f1, col1)
    # the shift is the GCJ-02 offset at Hohhot: a few hundred metres, west (GCJ-02 is east of WGS84 here)
    lon, lat = tile_to_lonlat(tx + 1, ty + 0.5, Z)
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    to = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    (ax, ay), (bx, by) = to.transform(lon, lat), to.transform(float(wlon), float(wlat))
    offset_m = float(np.hypot(bx - ax, by - ay))
    assert 400 < offset_m < 700
    shift_m = (f0 - f1) * ctx0.m_per_px
    assert shift_m == pytest.approx(ax - bx, abs=2 * ctx0.m_per_px)
    assert 300 < shift_m < 700


def test_xyz_folder_and_disk_cache_draw_the_same(mbtiles, folder, tmp_path):
    from heatgis.render.basemap import Basemap

    cache = tmp_path / "cache"
    a = Basemap(mbtiles, CRS, cache_dir=cache)
    rgb_a, _, _ = _render(a)
    assert a.warped > 0 and any(cache.rglob("*.png"))
    again = Basemap(mbtiles, CRS, cache_dir=cache)  # a new session: warped tiles come from disk
    rgb_b, _, _ = _render(again)
    assert again.warped == 0 and again.drawn == a.drawn
    assert np.abs(rgb_a.astype(int) - rgb_b).max() <= 2
    xyz = Basemap(folder, CRS)
    rgb_c, _, _ = _render(xyz)
    assert np.abs(rgb_a.astype(int) - rgb_c).max() <= 2


def test_no_basemap_by_default_and_bad_sources_are_clear_errors(tmp_path):
    from heatgis.errors import HeatGISError
    from heatgis.render.basemap import Basemap
    from heatgis.render.mapdraw import MapRenderer

    project, _ = _project()
    assert MapRenderer(project).basemap is None
    (tmp_path / "x.mbtiles").write_text("not sqlite")
    for bad in (tmp_path / "missing.mbtiles", tmp_path / "x.mbtiles", tmp_path):
        with pytest.raises(HeatGISError):
            Basemap(bad, CRS)


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils not installed")
def test_basemap_is_in_the_printed_pdf(mbtiles, tmp_path):
    from heatgis.export.pdf import write_pdf
    from heatgis.render.basemap import Basemap
    from heatgis.render.layout import MapPage, PageSpec
    from heatgis.render.mapdraw import MapRenderer

    project, (x, y) = _project()
    r = MapRenderer(project)
    r.set_basemap(Basemap(mbtiles, CRS, cache_dir=tmp_path / "c"))
    page = MapPage("basemap", "", (x - HALF, y - HALF, x + HALF, y + HALF), None)
    write_pdf([page], PageSpec("A4", True, 150), tmp_path / "m.pdf", r)
    listing = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "m.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(listing) >= 4  # the warped tiles, as images in the vector page
