"""Read foreign files into a frame: GIS formats through GDAL (pyogrio), tables through pandas
(the table reader and its coordinate columns are in :mod:`heatgis.io.tables`).

Formats: Shapefile, GeoPackage (layer choice), GeoJSON, KML/KMZ, FlatGeobuf, DXF,
OpenStreetMap ``.osm``/``.osm.pbf`` (GDAL's OSM driver: points, lines,
multipolygons), CSV/TXT and XLSX with coordinate columns (经度/纬度, lng/lat,
x/y, 东坐标/北坐标, or one "lng,lat" column as Amap's picker copies it).

Nothing here reprojects or repairs: the reader says what it found (CRS or none,
encoding, coordinate columns) and the importer decides.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError, Problem
from heatgis.io.encoding import CHOSEN, EncodingGuess, detect_dbf_encoding, detect_text_encoding, normalize_encoding
from heatgis.io.fastread import read_frame
from heatgis.io.messages import CHECK_PATH, GEOMETRY_WORDS, NO_FILE, choose_one_of
from heatgis.text import Text, join

GDAL_EXT = {
    ".shp": "Shapefile",
    ".gpkg": "GeoPackage",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
    ".kmz": "KML",
    ".dxf": "DXF",
    ".osm": "OSM",
    ".pbf": "OSM",
    ".fgb": "FlatGeobuf",
    ".gml": "GML",
    ".tab": "MapInfo",
    ".mif": "MapInfo",
}
TABLE_EXT = {".csv": "CSV", ".txt": "CSV", ".tsv": "CSV", ".xlsx": "XLSX", ".xlsm": "XLSX"}
SUPPORTED = "Shapefile, GeoPackage, GeoJSON, KML/KMZ, DXF, .osm/.osm.pbf, FlatGeobuf, CSV, XLSX"
SUPPORTED_TEXT = Text(SUPPORTED, SUPPORTED.replace(", ", "、"))

#: OSM driver layer for each contract geometry
OSM_LAYER = {"Point": "points", "LineString": "lines", "Polygon": "multipolygons"}


@dataclass
class SourceData:
    """What was read from a foreign file.

    Attributes
    ----------
    frame : GeoDataFrame or DataFrame
        All rows, source columns as they were (geometry for spatial data).
    format : str
        ``Shapefile``, ``CSV`` ...
    crs : pyproj.CRS or None
        The CRS the file declares; None when it has none.
    encoding : EncodingGuess or None
    layer : str or None
        The layer read from a multi-layer source.
    layers : list of str
        All layers of the source.
    coords : tuple or None
        The coordinate column(s) of a table: (x, y) or (xy,).
    row_offset : int
        Added to a 0-based position to give the row number a planner sees.
    notes : list of Problem
    """

    frame: pd.DataFrame
    format: str
    crs: object = None
    encoding: EncodingGuess | None = None
    layer: str | None = None
    layers: list = field(default_factory=list)
    coords: tuple | None = None
    row_offset: int = 1
    notes: list = field(default_factory=list)


def source_format(path) -> str:
    p = Path(path)
    ext = p.suffix.lower()
    if p.name.lower().endswith(".osm.pbf"):
        return "OSM"
    if ext in GDAL_EXT:
        return GDAL_EXT[ext]
    if ext in TABLE_EXT:
        return TABLE_EXT[ext]
    if ext == ".xls":
        raise HeatGISError(
            Text("old Excel .xls files are not read", "不能读取旧版 Excel .xls 文件"),
            Text("save the sheet as .xlsx in Excel or WPS", "请在 Excel 或 WPS 中将表格另存为 .xlsx"),
            file=path,
        )
    raise HeatGISError(
        Text("the file type '{ext}' is not one I can import", "不能导入 '{ext}' 类型的文件", ext=ext or p.name),
        Text("give a {formats} file", "请提供 {formats} 文件", formats=SUPPORTED_TEXT),
        file=path,
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise HeatGISError(NO_FILE, CHECK_PATH, file=path)
    if path.is_dir():
        raise HeatGISError(
            Text("this is a folder, not a file", "这是文件夹，不是文件"),
            Text("name the file inside it", "请指定文件夹中的文件"),
            file=path,
        )
    if path.stat().st_size == 0:
        raise HeatGISError(
            Text("the file is empty (0 bytes)", "文件是空的（0 字节）"),
            Text("export or copy the file again", "请重新导出或复制该文件"),
            file=path,
        )


def list_source_layers(path) -> list[str]:
    """The layers of a GDAL source (one for most formats)."""
    import pyogrio

    path = Path(path)
    _check_file(path)
    fmt = source_format(path)
    if fmt in ("CSV",):
        return [path.stem]
    if fmt == "XLSX":
        from heatgis.io.tables import _xlsx_sheets  # tables imports this module

        return _xlsx_sheets(path)
    try:
        return [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise _unreadable(path, exc) from exc


def _unreadable(path, exc) -> HeatGISError:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return HeatGISError(
        Text(
            "the file cannot be read: it is damaged, truncated or not what its name says ({msg})",
            "无法读取文件：文件已损坏、不完整，或与扩展名不符（{msg}）",
            msg=msg,
        ),
        Text(
            "copy or export the file again (a Shapefile needs its .shp, .shx and .dbf together)",
            "请重新复制或导出文件（Shapefile 的 .shp、.shx 和 .dbf 须放在一起）",
        ),
        file=path,
    )


def read_source(
    path,
    source_layer: str | None = None,
    encoding: str | None = None,
    geometry: str | None = None,
    x: str | None = None,
    y: str | None = None,
    xy: str | None = None,
    max_rows: int | None = None,
) -> SourceData:
    """Read a foreign file.

    Parameters
    ----------
    path : path-like
    source_layer : str, optional
        Layer (GeoPackage, KML folder, OSM layer) or sheet (XLSX) to read.
    encoding : str, optional
        Override of the detected text encoding (Shapefile DBF, CSV).
    geometry : {"Point", "LineString", "Polygon"}, optional
        The target geometry; chooses the OSM layer and, among several layers,
        the one of that kind.
    x, y, xy : str, optional
        Coordinate columns of a table (detected by name when not given).
    max_rows : int, optional
        Read only the first rows (preview).

    Raises
    ------
    HeatGISError
        Missing, empty, truncated or unreadable files; tables without coordinates.
    """
    path = Path(path)
    _check_file(path)
    fmt = source_format(path)
    if fmt in ("CSV", "XLSX"):
        from heatgis.io.tables import _read_table  # tables imports this module

        return _read_table(path, fmt, source_layer, encoding, x, y, xy, max_rows)
    return _read_gdal(path, fmt, source_layer, encoding, geometry, max_rows)


def _read_gdal(path, fmt, source_layer, encoding, geometry, max_rows) -> SourceData:
    """A GIS file through GDAL: list its layers, settle the text encoding, choose the layer(s), read."""
    layers, kinds = _gdal_layers(path, source_layer)
    enc_guess, notes = _gdal_encoding(path, fmt, encoding)
    chosen, more = _choose_gdal_layer(path, fmt, layers, kinds, source_layer, geometry)
    notes += more
    kw: dict[str, object] = {}
    if enc_guess is not None and fmt == "Shapefile":
        kw["encoding"] = enc_guess.encoding
    if max_rows:
        kw["max_features"] = int(max_rows)
    to_read = [chosen] if (chosen is not None or len(layers) == 1) else layers  # KML folders: all
    frames = []
    for name in to_read:
        f, more = _read_gdal_layer(path, fmt, name, kw, enc_guess)
        notes += more
        if len(to_read) > 1:
            f["folder"] = name
        frames.append(f)
    frame = frames[0] if len(frames) == 1 else _concat(frames)
    return SourceData(frame, fmt, frame.crs, enc_guess, chosen, layers, None, 1, notes)


def _gdal_layers(path, source_layer) -> tuple[list[str], dict]:
    """The file's layer names and their geometry types; the layer asked for must be one of them."""
    import pyogrio

    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    layers = [str(n) for n, _ in listed]
    kinds = {str(n): (str(t) if t is not None else None) for n, t in listed}
    if not layers:
        raise HeatGISError(
            Text("the file holds no layers", "文件中没有图层"),
            Text("export the data again", "请重新导出数据"),
            file=path,
        )
    if source_layer is not None and source_layer not in layers:
        raise HeatGISError(
            Text("there is no layer '{layer}' in the file", "文件中没有图层 '{layer}'", layer=source_layer),
            choose_one_of(layers),
            file=path,
        )
    return layers, kinds


def _gdal_encoding(path, fmt, encoding) -> tuple[EncodingGuess | None, list[Problem]]:
    """The text encoding: the planner's, else detected for a Shapefile's DBF or a DXF; (guess, notes)."""
    if fmt == "Shapefile":
        _check_shapefile(Path(path))
        return _text_encoding(path, encoding, detect_dbf_encoding)
    if fmt == "DXF":
        return _text_encoding(path, encoding, detect_text_encoding, warn=False)
    enc = normalize_encoding(encoding)
    return (EncodingGuess(enc, CHOSEN) if enc else None), []


def _text_encoding(path, encoding, detect, warn: bool = True) -> tuple[EncodingGuess, list[Problem]]:
    """The planner's encoding, else ``detect(path)``; (guess, notes: a warning when unsure and ``warn``)."""
    enc = normalize_encoding(encoding)
    guess = EncodingGuess(enc, CHOSEN) if enc else detect(path)
    if guess.certain or not warn:
        return guess, []
    note = Problem(
        Text("text encoding: {reason}", "文本编码：{reason}", reason=guess.reason),
        Text("choose the encoding by hand (--encoding)", "请手动选择编码（--encoding）"),
        str(path),
        severity="warning",
    )
    return guess, [note]


def _choose_gdal_layer(path, fmt, layers, kinds, source_layer, geometry) -> tuple[str | None, list[Problem]]:
    """The layer to read: the one asked for, the OSM layer of the geometry, the only layer of the
    geometry among several; None reads the one layer (or every KML folder)."""
    if source_layer is not None:
        return source_layer, []
    if fmt == "OSM":
        return OSM_LAYER.get(geometry or "LineString", "lines"), []
    if len(layers) <= 1 or fmt == "KML":
        return None, []
    wanted = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon"}.get(geometry or "")
    fit = [n for n in layers if wanted and kinds[n] and wanted in kinds[n]]
    if len(fit) != 1:
        raise HeatGISError(
            Text(
                "the file has {n} layers: {layers}", "文件有 {n} 个图层：{layers}", n=len(layers), layers=join(layers)
            ),
            Text(
                "choose one with --source-layer (or in the import dialog)",
                "请用 --source-layer 选择其中一个（或在导入对话框中选择）",
            ),
            file=path,
        )
    note = Problem(
        Text(
            "the file has {n} layers; read '{layer}', the only one of {wanted}s",
            "文件有 {n} 个图层；已读取 '{layer}'，它是唯一的{wanted}图层",
            n=len(layers),
            layer=fit[0],
            wanted=GEOMETRY_WORDS.get(wanted or "", wanted),
        ),
        Text("choose another with --source-layer", "可用 --source-layer 选择其他图层"),
        str(path),
        severity="info",
    )
    return fit[0], [note]


def _read_gdal_layer(path, fmt, name, kw, enc_guess):
    """One layer (``name`` None: the only one); a DXF read in ``enc_guess`` whatever its header
    says, DBF field names cut mid-character mended; (frame, notes)."""
    import pyogrio

    old_dxf = pyogrio.get_gdal_config_option("DXF_ENCODING")
    if fmt == "DXF" and enc_guess is not None:  # the $DWGCODEPAGE header is often wrong
        pyogrio.set_gdal_config_options({"DXF_ENCODING": enc_guess.encoding.replace("-SIG", "")})
    try:
        f, cut = read_frame(path, fmt, name, kw)
    except UnicodeDecodeError as exc:
        if fmt != "Shapefile":
            raise _unreadable(path, exc) from exc
        f, cut = _read_cut_field_names(path, kw), True
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    finally:
        if fmt == "DXF":
            pyogrio.set_gdal_config_options({"DXF_ENCODING": old_dxf})
    notes = []
    if cut:
        notes.append(
            Problem(
                Text(
                    "some DBF field names were cut mid-character by the 10-byte limit; "
                    "the broken last character was dropped",
                    "部分 DBF 字段名受 10 字节限制在字符中间被截断；已去掉残缺的最后一个字符",
                ),
                Text("check the column names in the mapping", "请在字段映射中核对列名"),
                str(path),
                severity="warning",
            )
        )
    return f, notes


def _check_shapefile(path: Path) -> None:
    """A .shp/.shx whose size differs from the length in its header was cut short in copying."""
    for ext in (".shp", ".shx"):
        part = next((path.with_suffix(e) for e in (ext, ext.upper()) if path.with_suffix(e).exists()), None)
        if part is None:
            if ext == ".shx":
                continue  # GDAL rebuilds a missing .shx
            raise HeatGISError(
                Text("the .shp file is missing", "缺少 .shp 文件"),
                Text("copy the Shapefile with all its files", "请连同全部文件一起复制 Shapefile"),
                file=path,
            )
        size = part.stat().st_size
        with open(part, "rb") as fh:
            head = fh.read(100)
        if len(head) < 100 or head[:4] != b"\x00\x00\x27\x0a":
            raise HeatGISError(
                Text(
                    "the {ext} file is damaged or truncated (no valid header)",
                    "{ext} 文件已损坏或不完整（没有有效的文件头）",
                    ext=ext,
                ),
                Text(
                    "copy the Shapefile again, with its .shp, .shx and .dbf",
                    "请重新复制 Shapefile，连同 .shp、.shx 和 .dbf",
                ),
                file=path,
            )
        declared = int.from_bytes(head[24:28], "big") * 2
        if declared != size:
            raise HeatGISError(
                Text(
                    "the {ext} file is truncated: its header says {declared:,} bytes, the file has {size:,}",
                    "{ext} 文件不完整：文件头记录 {declared:,} 字节，实际只有 {size:,} 字节",
                    ext=ext,
                    declared=declared,
                    size=size,
                ),
                Text("copy the Shapefile again (the copy was cut short)", "请重新复制 Shapefile（上次复制没有完成）"),
                file=path,
            )


def _read_cut_field_names(path: Path, kw: dict):
    """Read a Shapefile whose DBF field names end in half a UTF-8/GBK character, from a fixed copy."""
    import shutil
    import tempfile

    import pyogrio

    enc = kw.get("encoding") or "utf-8"
    with tempfile.TemporaryDirectory(prefix="heatgis-dbf-") as tmp:
        for ext in (".shp", ".shx", ".prj", ".cpg", ".SHP", ".SHX", ".PRJ", ".CPG"):
            src = path.with_suffix(ext)
            if src.exists():
                shutil.copyfile(src, Path(tmp) / ("t" + ext.lower()))
        dbf = next(path.with_suffix(e) for e in (".dbf", ".DBF") if path.with_suffix(e).exists())
        data = bytearray(dbf.read_bytes())
        hlen = int.from_bytes(data[8:10], "little")
        for k in range(32, hlen - 31, 32):
            if data[k] == 0x0D:
                break
            raw = bytes(data[k : k + 11]).split(b"\x00")[0]
            fixed = raw.decode(enc, errors="ignore").encode(enc)[:10]
            data[k : k + 11] = fixed.ljust(11, b"\x00")
        (Path(tmp) / "t.dbf").write_bytes(bytes(data))
        try:
            return pyogrio.read_dataframe(Path(tmp) / "t.shp", **kw)
        except Exception as exc:
            raise _unreadable(path, exc) from exc


def _concat(frames):
    import geopandas as gpd

    crs = next((f.crs for f in frames if f.crs is not None), None)
    out = pd.concat(
        [f.to_crs(crs) if (crs is not None and f.crs is not None and not f.crs.equals(crs)) else f for f in frames],
        ignore_index=True,
    )
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def read_docx_text(path) -> str:
    """The text of a .docx (paragraphs joined by newlines), from word/document.xml, no extra library."""
    import xml.etree.ElementTree as ET

    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise HeatGISError(
            Text("the Word file cannot be read ({exc})", "无法读取 Word 文件（{exc}）", exc=exc),
            Text(
                "save it again as .docx, or copy the text into a .txt file",
                "请重新另存为 .docx，或将文字复制到 .txt 文件中",
            ),
            file=path,
        ) from exc
    root = ET.fromstring(xml)
    lines = []
    for para in root.iter(f"{ns}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{ns}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{ns}tab",):
                parts.append("\t")
            elif node.tag in (f"{ns}br", f"{ns}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)
