"""The GDAL read itself, made fast: Arrow when pyarrow is there, Chinese DBF text decoded in one pass.

Two things dominate reading a 100k-feature file through pyogrio:

- without pyarrow, pyogrio builds every value as a Python object, feature by
  feature; with pyarrow installed, ``use_arrow=True`` reads whole columns at once
  (a GeoPackage about four times faster). pyarrow is optional: without it the
  plain read is used, with the same result.
- a Shapefile in GBK/GB18030 is recoded by GDAL through iconv one value at a time,
  which costs more than the read itself. Reading it as Latin-1 instead (a lossless
  byte-for-byte mapping GDAL does without iconv) and decoding each text column in a
  single ``bytes.decode`` call gives the same text in a fraction of the time.

Qt-free.
"""

from __future__ import annotations

import codecs
import importlib.util

import numpy as np
import pandas as pd

#: True: always read through Arrow; False: never; None: when pyarrow is installed
USE_ARROW: bool | None = None

#: formats whose Arrow read is well tried (others: the plain read)
ARROW_FORMATS = frozenset(("Shapefile", "GeoPackage", "GeoJSON", "FlatGeobuf"))

_NATIVE = frozenset(("utf-8", "utf-8-sig", "latin-1", "iso8859-1", "ascii"))
_SEP = "\x00"  # cannot occur inside a DBF text value (GDAL ends C strings at it)


def arrow_available() -> bool:
    """Whether reads go through Arrow (see :data:`USE_ARROW`)."""
    if USE_ARROW is not None:
        return bool(USE_ARROW)
    return importlib.util.find_spec("pyarrow") is not None


def needs_transcoding(encoding: str | None) -> bool:
    """True for encodings GDAL recodes slowly (GB18030, GBK, BIG5 ...): not UTF-8 or Latin-1."""
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding.replace("-SIG", "-sig")).name
    except LookupError:
        return False
    return name not in _NATIVE


def read_frame(path, fmt: str, layer, kw: dict):
    """``pyogrio.read_dataframe(path, layer=layer, **kw)``, fast.

    Parameters
    ----------
    path : path-like
    fmt : str
        The format (``Shapefile``, ``GeoPackage`` ...).
    layer : str or None
    kw : dict
        pyogrio keywords (``encoding``, ``max_features``); not modified.

    Returns
    -------
    (GeoDataFrame, bool)
        The frame, and whether field names were cut mid-character (the DBF's
        10-byte limit) and mended by dropping the broken character.

    Raises
    ------
    Exception
        Whatever pyogrio raises (the caller turns it into a HeatGISError).
    """
    import pyogrio

    kw = dict(kw)
    transcode = None
    if fmt == "Shapefile" and needs_transcoding(kw.get("encoding")):
        transcode = kw["encoding"]
        kw["encoding"] = "ISO-8859-1"
    frame = None
    if fmt in ARROW_FORMATS and arrow_available():
        try:
            frame = pyogrio.read_dataframe(path, layer=layer, use_arrow=True, **kw)
        except Exception:  # noqa: BLE001 - the plain read below gives the real error, or works
            frame = None
    if frame is None:
        frame = pyogrio.read_dataframe(path, layer=layer, **kw)
    cut = False
    if transcode is not None:
        frame, cut = transcode_frame(frame, transcode)
    return frame, cut


def transcode_frame(frame, encoding: str):
    """Text columns and column names read as Latin-1, decoded as ``encoding``.

    Returns
    -------
    (GeoDataFrame, bool)
        A new frame with text columns as object columns of ``str`` (None for
        missing); True when a field name ended in half a character (dropped).
    """
    geom = getattr(frame, "_geometry_column_name", None)
    names, cut = {}, False
    for c in frame.columns:
        if c == geom or not isinstance(c, str):
            continue
        raw = c.encode("latin-1", errors="replace")
        try:
            names[c] = raw.decode(encoding)
        except UnicodeDecodeError:
            names[c] = raw.decode(encoding, errors="ignore")
            cut = True
    out = frame.copy()
    for c in frame.columns:
        if c == geom:
            continue
        col = frame[c]
        if pd.api.types.infer_dtype(col, skipna=True) != "string":
            continue
        out[c] = pd.Series(decode_latin1_texts(col.to_numpy(dtype=object), encoding), index=frame.index, dtype=object)
    return out.rename(columns=names), cut


def decode_latin1_texts(values: np.ndarray, encoding: str) -> np.ndarray:
    """Strings holding Latin-1 bytes, decoded as ``encoding`` (bad bytes: U+FFFD); None stays None."""
    present = ~pd.isna(values)
    out = np.full(len(values), None, dtype=object)
    texts = values[present].tolist()
    if not texts:
        return out
    joined = _SEP.join(texts).encode("latin-1", errors="replace").decode(encoding, errors="replace")
    parts = joined.split(_SEP)
    if len(parts) != len(texts):  # a separator swallowed by a broken character: one by one
        parts = [t.encode("latin-1", errors="replace").decode(encoding, errors="replace") for t in texts]
    out[present] = parts
    return out
