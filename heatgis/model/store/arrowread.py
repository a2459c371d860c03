"""A GeoPackage layer read through GDAL's Arrow stream, without pyarrow (a batch command's fast path).

``pyogrio.read_dataframe`` (without ``use_arrow``) asks GDAL for every feature, then every field
of it, one call each: at province scale (500,000 stations, seven fields) that is most of
``heatgis impact``'s time. GDAL's GeoPackage driver also gives a layer as Arrow record batches
(``OGR_L_GetArrowStream``, read from SQLite in C): pyarrow would read those, but it is ~170 MB
the desktop bundle has no room for. The Arrow C data interface is a few plain C structs, so
:func:`read_frame` reads the batches with ``ctypes``: numbers as numpy arrays straight from the
buffers, text decoded a batch at a time (a repeated text kept once), 2D points from their
coordinates' bytes and other geometries by ``shapely.from_wkb``, once all batches are read.

Only the column kinds of the contract's figures are read this way (text, integers, floats, the
WKB geometry). A layer with anything else (dates, booleans, JSON ...), or whose stream fails,
gives None and the caller reads it with ``pyogrio.read_dataframe`` as before. The frame is what
``read_dataframe(path, layer=..., columns=..., fid_as_index=True)`` gives once conformed
(:func:`heatgis.model.schema.conform`): text as ``object`` columns (``str`` or None) instead of
pandas' ``str`` dtype, integers with missing values as floats (NaN), as pyogrio has them.
"""

from __future__ import annotations

import ctypes as C

import numpy as np

#: Arrow format strings read here: numbers (numpy dtype), text, binary (WKB)
_NUMBERS = {b"c": np.int8, b"s": np.int16, b"i": np.int32, b"l": np.int64, b"f": np.float32, b"g": np.float64}
_OFFSETS = {b"u": np.int32, b"z": np.int32, b"U": np.int64, b"Z": np.int64}


#: features per batch: GDAL reads a batch with the interpreter lock released (``ctypes``), then it
#: is converted holding it, ~50 ms at a time, as a large layer's parts (``layer_read.CHUNK_FEATURES``)
BATCH = 30_000


class _Schema(C.Structure):
    pass


_Schema._fields_ = [
    ("format", C.c_char_p),
    ("name", C.c_char_p),
    ("metadata", C.c_void_p),
    ("flags", C.c_int64),
    ("n_children", C.c_int64),
    ("children", C.POINTER(C.POINTER(_Schema))),
    ("dictionary", C.c_void_p),
    ("release", C.CFUNCTYPE(None, C.POINTER(_Schema))),
    ("private_data", C.c_void_p),
]


class _Array(C.Structure):
    pass


_Array._fields_ = [
    ("length", C.c_int64),
    ("null_count", C.c_int64),
    ("offset", C.c_int64),
    ("n_buffers", C.c_int64),
    ("n_children", C.c_int64),
    ("buffers", C.POINTER(C.c_void_p)),
    ("children", C.POINTER(C.POINTER(_Array))),
    ("dictionary", C.c_void_p),
    ("release", C.CFUNCTYPE(None, C.POINTER(_Array))),
    ("private_data", C.c_void_p),
]


class _Stream(C.Structure):
    pass


_Stream._fields_ = [
    ("get_schema", C.CFUNCTYPE(C.c_int, C.POINTER(_Stream), C.POINTER(_Schema))),
    ("get_next", C.CFUNCTYPE(C.c_int, C.POINTER(_Stream), C.POINTER(_Array))),
    ("get_last_error", C.CFUNCTYPE(C.c_char_p, C.POINTER(_Stream))),
    ("release", C.CFUNCTYPE(None, C.POINTER(_Stream))),
    ("private_data", C.c_void_p),
]

# a prototype of our own (setting ``restype`` on ``ctypes.pythonapi``'s would change it for everyone)
_capsule_pointer = C.PYFUNCTYPE(C.c_void_p, C.py_object, C.c_char_p)(("PyCapsule_GetPointer", C.pythonapi))


class _Unsupported(Exception):
    """A column this reader does not read: the caller reads the layer the usual way."""


def read_frame(path, layer: str, columns: list[str]):
    """The layer's ``columns`` (those it has), its geometry and fids, or None when not readable here.

    Parameters
    ----------
    path : path-like
        A GeoPackage.
    layer : str
    columns : list of str
        Fields to read; those the layer lacks are left out (as pyogrio does).

    Returns
    -------
    geopandas.GeoDataFrame or None
        Indexed by fid (named ``fid``), the fields in the layer's order, then ``geometry``, as
        ``pyogrio.read_dataframe(..., fid_as_index=True)``; None when a field is of a kind not
        read here (dates, booleans, JSON), the layer has no geometry, or GDAL's stream fails.

    Raises
    ------
    Exception
        Whatever pyogrio raises when it cannot open the file or the layer (the caller's
        fallback read raises it again, with its message).
    """
    from pyogrio import get_gdal_config_option, set_gdal_config_options
    from pyogrio.raw import open_arrow

    if get_gdal_config_option("OGR_GPKG_NUM_THREADS") is None:
        # GDAL reads the batches ahead in threads by default: no faster in CPU, and their memory
        # (glibc: another heap) stays with the process, ~50 MB at 500,000 stations. This module is
        # the only reader of GeoPackage Arrow streams, so the process-wide option changes nothing else.
        set_gdal_config_options({"OGR_GPKG_NUM_THREADS": "1"})
    try:
        with open_arrow(path, layer=layer, columns=columns, return_fids=True, batch_size=BATCH) as (meta, stream):
            if any(str(d).startswith("datetime") or d == "bool" for d in meta["dtypes"]) or any(
                s not in (None, "", "OFSTNone") for s in meta["ogr_subtypes"]
            ):
                return None
            if not meta["geometry_name"] or not meta["fid_column"]:
                return None
            names, parts = _read_stream(stream, meta["geometry_name"])
    except _Unsupported:
        return None
    return _frame(meta, names, parts)


def _read_stream(stream, geometry: str) -> tuple[list[str], list[list[np.ndarray]]]:
    """Column names and, per column, one array per batch (the ``geometry`` column's as
    :func:`_geometries` gives them); the stream is released before returning."""
    capsule = stream.__arrow_c_stream__()
    s = C.cast(_capsule_pointer(capsule, b"arrow_array_stream"), C.POINTER(_Stream)).contents
    try:
        schema = _Schema()
        if s.get_schema(C.byref(s), C.byref(schema)) != 0:
            raise _Unsupported
        try:
            children = [schema.children[i].contents for i in range(schema.n_children)]
            names = [c.name.decode("utf-8") for c in children]
            formats = [c.format for c in children]
        finally:
            schema.release(C.byref(schema))
        if any(f not in _NUMBERS and f not in _OFFSETS for f in formats):
            raise _Unsupported
        parts: list[list[np.ndarray]] = [[] for _ in formats]
        seen: list[dict] = [{} for _ in formats]  # per text column, its repeated values
        geometry_at = names.index(geometry) if geometry in names else -1
        while True:
            batch = _Array()
            if s.get_next(C.byref(s), C.byref(batch)) != 0:
                raise _Unsupported
            if not batch.release:  # the end of the stream
                break
            try:
                for i, fmt in enumerate(formats):
                    child = batch.children[i].contents
                    parts[i].append(_geometries(child, fmt) if i == geometry_at else _column(child, fmt, seen[i]))
            finally:
                batch.release(C.byref(batch))
        return names, parts
    finally:  # released here, while the dataset is open; the capsule then has nothing to release
        s.release(C.byref(s))
        s.release = type(s.release)()


def _bytes(address: int, nbytes: int) -> np.ndarray:
    """``nbytes`` bytes of memory at ``address`` as a uint8 array (a view, not a copy)."""
    if nbytes == 0:
        return np.zeros(0, dtype=np.uint8)
    return np.ctypeslib.as_array(C.cast(address, C.POINTER(C.c_uint8)), shape=(nbytes,))


def _valid(a: _Array) -> np.ndarray | None:
    """The rows of a batch's column that hold a value (None: all of them)."""
    if a.null_count == 0 or not a.buffers[0]:
        return None
    bits = _bytes(a.buffers[0], (a.offset + a.length + 7) // 8)
    return np.unpackbits(bits, bitorder="little")[a.offset : a.offset + a.length].astype(bool)


def _column(a: _Array, fmt: bytes, seen: dict | None = None) -> np.ndarray:
    """One batch's column as a numpy array: numbers (NaN where missing), text or WKB (None where missing).

    ``seen``: the column's texts so far, when it repeats them (see :func:`_shared`).
    """
    n = a.length
    valid = _valid(a)
    if fmt in _NUMBERS:
        dtype = np.dtype(_NUMBERS[fmt])
        values = _bytes(a.buffers[1] + a.offset * dtype.itemsize, n * dtype.itemsize).view(dtype)
        if valid is None:
            return values.copy() if dtype.kind == "i" else values.astype(np.float64)
        out = values.astype(np.float64)  # missing integers: float NaN, as pyogrio gives them
        out[~valid] = np.nan
        return out
    out = np.full(n, None, dtype=object)
    if n == 0 or (valid is not None and not valid.any()):
        return out
    offsets, data = _pieces(a, fmt)
    cells: list
    if fmt in (b"u", b"U"):
        cells = _texts(offsets, data)
        if seen is not None:
            cells = _shared(cells, seen)
    else:
        bounds = offsets.tolist()
        cells = list(map(data.tobytes().__getitem__, map(slice, bounds[:-1], bounds[1:])))
    if valid is None:
        out[:] = cells
    else:
        out[valid] = [v for v, ok in zip(cells, valid.tolist()) if ok]
    return out


def _pieces(a: _Array, fmt: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A text or binary column's offsets (from 0, int64) and its bytes (a view)."""
    width = np.dtype(_OFFSETS[fmt]).itemsize
    offsets = _bytes(a.buffers[1] + a.offset * width, (a.length + 1) * width).view(_OFFSETS[fmt]).astype(np.int64)
    start = int(offsets[0])
    offsets -= start
    return offsets, _bytes(a.buffers[2] + start, int(offsets[-1])) if offsets[-1] else np.zeros(0, dtype=np.uint8)


def _texts(offsets: np.ndarray, data: np.ndarray) -> list[str]:
    """The UTF-8 pieces of ``data`` between ``offsets`` as ``str``: one decode for the batch, then
    split at a NUL put between the pieces (by the C ``str.split``), or sliced when the text holds NULs."""
    if not (data == 0).any():
        joined = np.insert(data, offsets[1:-1], 0) if len(offsets) > 2 else data
        try:
            return joined.tobytes().decode("utf-8").split("\x00")
        except UnicodeDecodeError as exc:
            raise _Unsupported from exc
    raw = data.tobytes()
    bounds = offsets.tolist()
    try:
        return [raw[i:j].decode("utf-8") for i, j in zip(bounds[:-1], bounds[1:])]
    except UnicodeDecodeError as exc:
        raise _Unsupported from exc


#: in a column's ``seen``: its texts are mostly distinct, not worth sharing
_DISTINCT = object()


def _shared(cells: list[str], seen: dict) -> list[str]:
    """Equal texts as one object, when the column repeats itself (a network's or a depot's id,
    kept by 500,000 stations: tens of MB as as many objects). ``seen`` (the column's texts so far)
    is kept from batch to batch; a column of mostly distinct texts (ids, names) is left as it is."""
    if _DISTINCT in seen:
        return cells
    if not seen:
        sample = cells[:1024]
        if len(set(sample)) * 2 > len(sample):
            return cells
    out = list(map(seen.setdefault, cells, cells))
    if len(seen) * 2 > len(out):  # repeated at first, distinct since: stop keeping them
        seen.clear()
        seen[_DISTINCT] = True
    return out


#: ISO WKB of a 2D point: byte order (1: little endian), type 1, x, y
_POINT_WKB = 21


def _geometries(a: _Array, fmt: bytes) -> np.ndarray:
    """One batch's WKB column: an object array of WKB (None where missing), or for a batch of
    2D points only (the stations) their coordinates, an (n, 2) float array read straight from the
    bytes. The geometries are made once all batches are read (:func:`_shapes`)."""
    n = a.length
    if n and _valid(a) is None:
        offsets, data = _pieces(a, fmt)
        if len(data) == n * _POINT_WKB and (np.diff(offsets) == _POINT_WKB).all():
            rec = data.reshape(n, _POINT_WKB)
            kind = np.ascontiguousarray(rec[:, 1:5]).view("<u4").ravel()
            if (rec[:, 0] == 1).all() and (kind == 1).all():
                # a copy, always: GDAL frees the batch's buffers next (ascontiguousarray of a single
                # row's slice would be a view of them: numpy counts one row as contiguous)
                xy = rec[:, 5:].copy().view("<f8")
                if np.isfinite(xy).all():  # NaN: an empty point, left to from_wkb
                    return xy
    return _column(a, fmt)


def _shapes(parts: list[np.ndarray]) -> np.ndarray:
    """The geometries of the batches' :func:`_geometries`, as ``shapely.from_wkb`` of their WKB.

    Made after the read, all at once: GEOS's many small allocations then do not interleave with
    the read's temporary buffers (which would leave the heap fragmented, tens of MB at 500,000 points).
    Shapely's geometries are tracked by the cyclic garbage collector, which would walk every object
    of the process again and again as hundreds of thousands of them are made (three quarters of the
    time of 500,000 points); none is in a cycle, so it waits while they are made. Only in the main
    thread, as in ``heatgis.analysis.impact._group_ids``: the collector is one for all threads.
    """
    import gc
    import threading

    import shapely

    if not parts:
        return np.array([], dtype=object)
    collecting = gc.isenabled() and threading.current_thread() is threading.main_thread()
    if collecting:
        gc.disable()
    try:
        if all(p.dtype != object for p in parts):
            return shapely.points(np.concatenate(parts))
        return np.concatenate([shapely.points(p) if p.dtype != object else shapely.from_wkb(p) for p in parts])
    finally:
        if collecting:
            gc.enable()


def _frame(meta: dict, names: list[str], parts: list[list[np.ndarray]]):
    """The GeoDataFrame of the batches (as ``pyogrio.read_dataframe`` builds it)."""
    import geopandas as gpd
    import pandas as pd

    fid, geom = meta["fid_column"], meta["geometry_name"]
    data: dict = {}
    index = geometry = None
    for name, arrays in zip(names, parts):
        if name == geom:
            geometry = _shapes(arrays)
            arrays.clear()
            continue
        column = np.concatenate(arrays) if arrays else np.array([], dtype=object)
        arrays.clear()  # one column's batches at a time in memory twice, not the whole layer's
        if name == fid:
            index = pd.Index(column.astype(np.int64), name="fid")
        else:
            data[name] = column
    if index is None or geometry is None:
        return None
    # a column at a time, without copying: the columns stay apart (object columns are not stacked
    # into one block, text is not made pandas' ``str`` dtype; conform makes it clean object columns)
    frame = pd.DataFrame(index=index)
    for name, column in data.items():
        frame[name] = pd.Series(column, index=index, dtype=column.dtype, copy=False)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=meta["crs"], copy=False)
