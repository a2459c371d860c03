"""An offline basemap behind the data: MBTiles files and XYZ tile folders, reprojected to the project CRS.

Nothing is downloaded: the planner's IT hands over an ``.mbtiles`` file (SQLite, ``tiles``
table, TMS rows) or a folder of ``z/x/y.png`` tiles. ``Basemap.paint(painter, ctx)`` is
called by ``MapRenderer.render`` (and the screen's map item) after the background and before
the layers, so the screen, the PDF, the PNG and the slides show the same basemap.

Web-mercator tiles are warped into the project CRS (the demo: CGCS2000 Gauss-Kruger CM 111E)
one tile at a time: a 3 x 3 grid of points across the tile is projected with pyproj and each
of the 2 x 2 cells is drawn with the projective transform of its corners (``QTransform.
quadToQuad``); at city scale the remaining error is far below a pixel. With ``gcj02=True`` the
tiles are taken to be drawn in GCJ-02 (Amap, Tencent: the streets of such tiles sit 300-700 m
off WGS84 in China) and each grid point is moved back to WGS84 with
``heatgis.io.chinacrs.gcj02_to_wgs84`` before it is projected. The warped tiles are kept in
memory and, when ``cache_dir`` is given, as PNGs on disk (their extent in the PNG's text), so a
second session draws them without warping again.

QtGui only (no widgets). Thread-safe: the print dialog exports in a worker thread.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui

from heatgis.errors import HeatGISError
from heatgis.text import Text

TILE = 256
EARTH_M = 2 * math.pi * 6378137.0
GRID = 2  # cells per tile side when warping
BLEED = 0.75  # px each warped cell is grown by, so tiles meet without a hairline seam
MAX_TILES = 160  # per drawing; beyond that the view is too far out for the tiles at hand
MEMORY_TILES = 384


# ----------------------------------------------------------------------------- tile sources


class MBTilesSource:
    """Tiles from an MBTiles file (read-only; rows in TMS order unless metadata says ``scheme=xyz``)."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.is_file():
            raise HeatGISError(
                Text("the basemap file {path} does not exist", "底图文件 {path} 不存在", path=self.path),
                Text("choose an .mbtiles file", "请选择 .mbtiles 文件"),
                file=str(self.path),
            )
        try:
            self._db = sqlite3.connect(f"file:{self.path.as_posix()}?mode=ro", uri=True, check_same_thread=False)
            meta = (
                dict(self._db.execute("SELECT name, value FROM metadata").fetchall()) if self._has("metadata") else {}
            )
            lo, hi = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise HeatGISError(
                Text(
                    "{name} is not an MBTiles file ({err})",
                    "{name} 不是 MBTiles 文件（{err}）",
                    name=self.path.name,
                    err=exc,
                ),
                Text("choose an .mbtiles file with a 'tiles' table", "请选择含有 'tiles' 表的 .mbtiles 文件"),
                file=str(self.path),
            ) from exc
        if lo is None:
            raise HeatGISError(
                Text("{name} has no tiles", "{name} 中没有瓦片", name=self.path.name),
                Text("choose an .mbtiles file with tiles", "请选择含有瓦片的 .mbtiles 文件"),
                file=str(self.path),
            )
        self._lock = threading.Lock()
        self.minzoom = int(meta.get("minzoom", lo))
        self.maxzoom = int(meta.get("maxzoom", hi))
        self.xyz = str(meta.get("scheme", "tms")).lower() == "xyz"
        self.name = str(meta.get("name") or self.path.stem)

    def _has(self, table: str) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (table,)
            ).fetchone()
            is not None
        )

    def identity(self) -> str:
        st = self.path.stat()
        return f"mbtiles|{self.path.resolve()}|{st.st_size}|{st.st_mtime_ns}"

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        row = y if self.xyz else (1 << z) - 1 - y
        with self._lock:
            r = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?", (z, x, row)
            ).fetchone()
        return bytes(r[0]) if r else None


class XYZFolderSource:
    """Tiles from a folder ``z/x/y.png`` (or .jpg, .jpeg, .webp)."""

    EXTS = (".png", ".jpg", ".jpeg", ".webp")

    def __init__(self, path):
        self.path = Path(path)
        zooms = (
            sorted(int(p.name) for p in self.path.iterdir() if p.is_dir() and p.name.isdigit())
            if self.path.is_dir()
            else []
        )
        if not zooms:
            raise HeatGISError(
                Text("{path} is not a tile folder", "{path} 不是瓦片文件夹", path=self.path),
                Text("choose a folder holding z/x/y.png tiles", "请选择存放 z/x/y.png 瓦片的文件夹"),
                file=str(self.path),
            )
        self.minzoom, self.maxzoom = zooms[0], zooms[-1]
        self.name = self.path.name

    def identity(self) -> str:
        return f"xyz|{self.path.resolve()}|{self.path.stat().st_mtime_ns}"

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        for ext in self.EXTS:
            f = self.path / str(z) / str(x) / f"{y}{ext}"
            if f.is_file():
                return f.read_bytes()
        return None


def open_source(path):
    """An MBTiles file or an XYZ folder, by what ``path`` is."""
    p = Path(path)
    return XYZFolderSource(p) if p.is_dir() else MBTilesSource(p)


# ----------------------------------------------------------------------------- web mercator


def lonlat_to_tile(lon, lat, z: int):
    """Fractional tile coordinates (x, y) of lon/lat at zoom ``z``."""
    n = float(1 << z)
    lat = np.clip(np.asarray(lat, float), -85.05112878, 85.05112878)
    x = (np.asarray(lon, float) + 180.0) / 360.0 * n
    y = (1.0 - np.arcsinh(np.tan(np.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_to_lonlat(x, y, z: int):
    """Lon/lat of fractional tile coordinates at zoom ``z``."""
    n = float(1 << z)
    lon = np.asarray(x, float) / n * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1.0 - 2.0 * np.asarray(y, float) / n))))
    return lon, lat


def zoom_for(m_per_px: float, lat: float, lo: int, hi: int) -> int:
    """The smallest zoom whose tile pixels are no larger than ``m_per_px`` (clamped to lo..hi)."""
    ground = EARTH_M * math.cos(math.radians(lat)) / TILE  # metres per tile pixel at zoom 0
    if not m_per_px > 0:
        return hi
    z = math.ceil(math.log2(ground / m_per_px) - 0.25)  # up to ~1.2 device px per tile px
    return int(min(max(z, lo), hi))


# ----------------------------------------------------------------------------- the basemap


class Basemap:
    """Tiles drawn behind the layers, in the project CRS.

    Parameters
    ----------
    source : MBTilesSource or XYZFolderSource (or a path to one)
    crs : str
        The project CRS.
    gcj02 : bool
        The tiles are in GCJ-02 (Amap, Tencent); they are shifted back onto WGS84.
    cache_dir : path, optional
        Where warped tiles are kept between sessions (None: in memory only).
    opacity : float
    """

    def __init__(self, source, crs: str, gcj02: bool = False, cache_dir=None, opacity: float = 1.0):
        self.source = open_source(source) if isinstance(source, (str, os.PathLike)) else source
        self.crs = str(crs)
        self.gcj02 = bool(gcj02)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.opacity = float(opacity)
        self.visible = True
        self._mem: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()
        key = f"{self.source.identity()}|{self.crs}|gcj02={self.gcj02}|grid={GRID}"
        self.key = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        self.warped = 0  # tiles warped (not from a cache): tests, benchmarks
        self.drawn = 0  # tiles drawn by the last paint

    # transformers are not thread-safe: one pair per thread
    def _tf(self):
        tf = getattr(self._local, "tf", None)
        if tf is None:
            from pyproj import Transformer

            tf = self._local.tf = (
                Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True),
                Transformer.from_crs("EPSG:4326", self.crs, always_xy=True),
            )
        return tf

    def to_tile_lonlat(self, x, y):
        """Project CRS -> the lon/lat the tiles are drawn in (GCJ-02 when ``gcj02``)."""
        lon, lat = self._tf()[0].transform(np.asarray(x, float), np.asarray(y, float))
        if self.gcj02:
            from heatgis.io.chinacrs import wgs84_to_gcj02

            lon, lat = wgs84_to_gcj02(lon, lat)
        return np.asarray(lon, float), np.asarray(lat, float)

    def from_tile_lonlat(self, lon, lat):
        """The lon/lat of the tiles -> project CRS."""
        if self.gcj02:
            from heatgis.io.chinacrs import gcj02_to_wgs84

            lon, lat = gcj02_to_wgs84(lon, lat)
        x, y = self._tf()[1].transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def tiles_for(self, extent, m_per_px: float) -> tuple[int, list[tuple[int, int]]]:
        """The zoom and the (x, y) tiles covering ``extent`` (project CRS) at ``m_per_px``."""
        x0, y0, x1, y1 = extent
        gx = np.linspace(x0, x1, 5)
        gy = np.linspace(y0, y1, 5)
        X, Y = np.meshgrid(gx, gy)
        lon, lat = self.to_tile_lonlat(X.ravel(), Y.ravel())
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any():
            return 0, []
        z = zoom_for(m_per_px, float(np.median(lat[ok])), self.source.minzoom, self.source.maxzoom)
        tx, ty = lonlat_to_tile(lon[ok], lat[ok], z)
        n = 1 << z
        ax0, ax1 = max(int(math.floor(tx.min())), 0), min(int(math.floor(tx.max())), n - 1)
        ay0, ay1 = max(int(math.floor(ty.min())), 0), min(int(math.floor(ty.max())), n - 1)
        tiles = [(i, j) for i in range(ax0, ax1 + 1) for j in range(ay0, ay1 + 1)]
        return z, tiles

    def warped_tile(self, z: int, x: int, y: int):
        """(world extent (x0, y0, x1, y1), QImage north-up in the project CRS) or None without the tile."""
        k = (z, x, y)
        with self._lock:
            hit = self._mem.get(k)
            if hit is not None:
                self._mem.move_to_end(k)
                return hit
        out = self._from_disk(z, x, y)
        if out is None:
            out = self._warp(z, x, y)
            if out is not None and out[1] is not None:
                self._to_disk(z, x, y, out)
        with self._lock:
            self._mem[k] = out
            while len(self._mem) > MEMORY_TILES:
                self._mem.popitem(last=False)
        return out

    def _cache_path(self, z, x, y) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / self.key / str(z) / str(x) / f"{y}.png"

    def _from_disk(self, z, x, y):
        p = self._cache_path(z, x, y)
        if p is None or not p.is_file():
            return None
        img = QtGui.QImage(str(p))
        try:
            ext = tuple(float(v) for v in img.text("extent").split(","))
        except ValueError:
            return None
        if img.isNull() or len(ext) != 4:
            return None
        return ext, img.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)

    def _to_disk(self, z, x, y, out) -> None:
        p = self._cache_path(z, x, y)
        if p is None:
            return
        ext, img = out
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            img = QtGui.QImage(img)
            img.setText("extent", ",".join(repr(float(v)) for v in ext))
            tmp = p.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            if img.save(str(tmp), "PNG"):
                os.replace(tmp, p)
        except OSError:  # a read-only or full cache folder: draw without it
            pass

    def _warp(self, z, x, y):
        data = self.source.tile(z, x, y)
        if not data:
            return None
        src = QtGui.QImage.fromData(data)
        if src.isNull():
            return None
        sw, sh = src.width(), src.height()
        g = np.linspace(0.0, 1.0, GRID + 1)
        U, V = np.meshgrid(g, g)  # tile fractions, V down
        lon, lat = tile_to_lonlat(x + U.ravel(), y + V.ravel(), z)
        wx, wy = self.from_tile_lonlat(lon, lat)
        if not (np.isfinite(wx).all() and np.isfinite(wy).all()):
            return None
        wx, wy = wx.reshape(U.shape), wy.reshape(U.shape)
        ext = (float(wx.min()), float(wy.min()), float(wx.max()), float(wy.max()))
        res = max(math.hypot(wx[0, -1] - wx[0, 0], wy[0, -1] - wy[0, 0]) / sw, 1e-9)
        pad = 2 * BLEED * res  # the extent grows with the bleed
        ext = (ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad)
        W = max(1, int(math.ceil((ext[2] - ext[0]) / res)))
        H = max(1, int(math.ceil((ext[3] - ext[1]) / res)))
        img = QtGui.QImage(W, H, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(QtCore.Qt.GlobalColor.transparent)
        ix = (wx - ext[0]) / (ext[2] - ext[0]) * W
        iy = (ext[3] - wy) / (ext[3] - ext[1]) * H
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
        for j in range(GRID):
            for i in range(GRID):
                s = QtCore.QRectF(g[i] * sw, g[j] * sh, (g[i + 1] - g[i]) * sw, (g[j + 1] - g[j]) * sh)
                qx = np.array([ix[j, i], ix[j, i + 1], ix[j + 1, i + 1], ix[j + 1, i]])
                qy = np.array([iy[j, i], iy[j, i + 1], iy[j + 1, i + 1], iy[j + 1, i]])
                # grow each cell by BLEED px so neighbouring tiles (and cells) overlap: no seams
                dx, dy = qx - qx.mean(), qy - qy.mean()
                d = np.maximum(np.hypot(dx, dy), 1e-9)
                qx, qy = qx + BLEED * dx / d, qy + BLEED * dy / d
                quad = QtGui.QPolygonF([QtCore.QPointF(float(u), float(v)) for u, v in zip(qx, qy)])
                t = QtGui.QTransform()
                if not QtGui.QTransform.quadToQuad(QtGui.QPolygonF(s), quad, t):
                    continue
                p.setTransform(t)
                p.drawImage(s, src, s)
        p.end()
        self.warped += 1
        return ext, img

    def paint(self, painter: QtGui.QPainter, ctx) -> None:
        """Draw the tiles of ``ctx.extent`` (the painter's world transform maps the project CRS)."""
        self.drawn = 0
        if not self.visible or self.opacity <= 0:
            return
        from heatgis.render.batches import is_raster

        # a vector page (PDF, 72 points per inch) gets tiles for ~216 dpi
        z, tiles = self.tiles_for(ctx.extent, ctx.m_per_px if is_raster(painter) else ctx.m_per_px / 3)
        if len(tiles) > MAX_TILES and not is_raster(painter):
            z, tiles = self.tiles_for(ctx.extent, ctx.m_per_px)
        if not tiles or len(tiles) > MAX_TILES:
            return
        t = painter.worldTransform()
        painter.save()
        painter.resetTransform()
        painter.setOpacity(painter.opacity() * self.opacity)
        painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
        for tx, ty in tiles:
            out = self.warped_tile(z, tx, ty)
            if out is None:
                continue
            (x0, y0, x1, y1), img = out
            dev = t.mapRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
            painter.drawImage(dev, img)
            self.drawn += 1
        painter.restore()
