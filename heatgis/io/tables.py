"""Read a table with coordinate columns (CSV/TXT/TSV, XLSX) into points.

The coordinate columns are found by name (经度/纬度, lng/lat, x/y, 东坐标/北坐标,
or one "lng,lat" column as Amap's picker copies it) unless the planner names
them; every row without usable coordinates is named. ``header_crs_hint`` reads
what the headers say about the coordinate system (高德/百度/WGS84).
:func:`heatgis.io.readers.read_source` dispatches tables here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.io.encoding import detect_text_encoding
from heatgis.io.messages import choose_one_of
from heatgis.io.readers import SourceData, _text_encoding, _unreadable
from heatgis.text import Text, join

X_NAMES = ("经度", "lng", "lon", "long", "longitude", "x", "东坐标", "x坐标", "横坐标", "东向坐标", "easting", "east")
Y_NAMES = ("纬度", "lat", "latitude", "y", "北坐标", "y坐标", "纵坐标", "北向坐标", "northing", "north")
XY_NAMES = ("坐标", "经纬度", "coordinates", "coordinate", "location", "lnglat", "位置坐标")


def _xlsx_sheets(path) -> list[str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _read_table(path, fmt, sheet, encoding, x, y, xy, max_rows) -> SourceData:
    notes: list[Problem] = []
    enc_guess = None
    try:
        if fmt == "CSV":
            enc_guess, notes = _text_encoding(path, encoding, detect_text_encoding)
            sep = "\t" if path.suffix.lower() == ".tsv" else None
            df = pd.read_csv(
                path,
                encoding=enc_guess.encoding.lower(),
                dtype=str,
                keep_default_na=False,
                sep=sep,
                engine="python",
                nrows=max_rows,
                skipinitialspace=True,
            )
        else:
            sheets = _xlsx_sheets(path)
            if sheet is not None and sheet not in sheets:
                raise HeatGISError(
                    Text("there is no sheet '{sheet}' in the workbook", "工作簿中没有工作表 '{sheet}'", sheet=sheet),
                    choose_one_of(sheets),
                    file=path,
                )
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, nrows=max_rows, engine="openpyxl")
            sheet = sheet or sheets[0]
    except HeatGISError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    df.columns = [str(c).strip() for c in df.columns]
    df = df.replace({"": None})
    df = df.dropna(how="all").reset_index(drop=True) if len(df) else df
    if len(df) == 0:
        raise HeatGISError(
            Text("the table has a header but no rows", "表格只有表头，没有数据行"),
            Text("fill in the rows, or choose another sheet", "请填写数据行，或选择其他工作表"),
            file=path,
        )
    coords = find_coordinate_columns(df.columns, x, y, xy)
    if coords is None:
        raise HeatGISError(
            Text(
                "no coordinate columns found (looked for 经度/纬度, lng/lat, x/y, 东坐标/北坐标, 坐标)",
                "没有找到坐标列（查找了 经度/纬度、lng/lat、x/y、东坐标/北坐标、坐标）",
            ),
            Text(
                "name the columns with --x and --y, or choose them in the import dialog; columns are: {columns}",
                "请用 --x 和 --y 指定坐标列，或在导入对话框中选择；现有的列：{columns}",
                columns=join(df.columns[:30]),
            ),
            file=path,
        )
    gdf = table_to_points(df, coords, path, row_offset=2)
    return SourceData(
        gdf,
        fmt,
        None,
        enc_guess,
        sheet if fmt == "XLSX" else None,
        _xlsx_sheets(path) if fmt == "XLSX" else [path.stem],
        coords,
        2,
        notes,
    )


def _norm_col(c) -> str:
    c = str(c).strip().lower()
    c = re.sub(r"[（(\[【].*?[)）\]】]", "", c)
    return re.sub(r"[\s_\-:：]", "", c)


def find_coordinate_columns(columns, x=None, y=None, xy=None):
    """The coordinate columns of a table: ``(x, y)``, ``(xy,)`` or None."""
    cols = [str(c) for c in columns]
    for given in (x, y, xy):
        if given is not None and given not in cols:
            raise HeatGISError(
                Text("there is no column '{name}'", "没有名为 '{name}' 的列", name=given), choose_one_of(cols[:30])
            )
    if xy:
        return (xy,)
    if x and y:
        return (x, y)
    normed = {c: _norm_col(c) for c in cols}

    def find(names):
        for name in names:
            hit = next((c for c in cols if normed[c] == name), None)
            if hit:
                return hit
        for name in names:  # 经度(GCJ02), 高德经度 ...
            if len(name) >= 2 and not name.isascii():
                hit = next((c for c in cols if name in normed[c]), None)
                if hit:
                    return hit
        return None

    fx, fy = x or find(X_NAMES), y or find(Y_NAMES)
    if fx and fy:
        return (fx, fy)
    one = find(XY_NAMES)
    return (one,) if one else None


def table_to_points(df: pd.DataFrame, coords, path=None, row_offset: int = 2):
    """Point geometries from coordinate columns; every row with bad coordinates is named."""
    import geopandas as gpd

    if len(coords) == 1:
        parts = df[coords[0]].astype(str).str.strip().str.split(r"[,，;\s]+", n=1, expand=True, regex=True)
        if parts.shape[1] < 2:
            parts[1] = None
        xs, ys = parts[0], parts[1]
        label = coords[0]
    else:
        xs, ys = df[coords[0]], df[coords[1]]
        label = f"{coords[0]}/{coords[1]}"
    xv = pd.to_numeric(xs.astype(object).map(_clean_num), errors="coerce").to_numpy(dtype="float64")
    yv = pd.to_numeric(ys.astype(object).map(_clean_num), errors="coerce").to_numpy(dtype="float64")
    bad = ~(np.isfinite(xv) & np.isfinite(yv))
    if bad.any():
        rows = np.flatnonzero(bad)
        problems = [
            Problem(
                Text(
                    "coordinates '{x}', '{y}' are not numbers",
                    "坐标 '{x}'、'{y}' 不是数字",
                    x=xs.iloc[i],
                    y=ys.iloc[i],
                ),
                Text("fill in both coordinates or delete the row", "请填写两个坐标，或删除该行"),
                str(path) if path else None,
                None,
                str(i + row_offset),
                label,
            )
            for i in rows[:20]
        ]
        raise HeatGISError(
            Text(
                "{n} row(s) have no usable coordinates in {label} (first: row {row})",
                "{label} 中有 {n} 行没有可用的坐标（第一处：第 {row} 行）",
                n=len(rows),
                label=label,
                row=rows[0] + row_offset,
            ),
            Text("fill in the coordinates or delete the rows", "请填写坐标，或删除这些行"),
            file=path,
            row=rows[0] + row_offset,
            field=label,
            problems=problems,
        )
    import shapely

    geoms = shapely.points(xv, yv)
    return gpd.GeoDataFrame(df, geometry=geoms, crs=None)


def _clean_num(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v).strip().replace("°", "").replace(",", "") if not isinstance(v, (int, float)) else v
    return s


def header_crs_hint(columns) -> str | None:
    """'gcj02' / 'bd09' / 'EPSG:4326' when the headers name Amap/Tencent, Baidu or WGS84/GPS, else None."""
    text = " ".join(str(c).lower() for c in columns)
    if any(w in text for w in ("百度", "baidu", "bd09", "bd-09")):
        return "bd09"
    if any(w in text for w in ("高德", "amap", "gcj", "腾讯", "火星")):
        return "gcj02"
    if any(w in text for w in ("wgs84", "wgs-84", "wgs 84", "gps")):
        return "EPSG:4326"
    return None
