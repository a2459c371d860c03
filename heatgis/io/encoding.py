"""Text encodings of foreign files: UTF-8 or GBK/GB18030, decided from the bytes.

Chinese GIS departments still hand out Shapefiles whose DBF is in GBK with no
``.cpg`` beside it, and CSVs saved by Excel in GBK. GDAL then guesses Latin-1 and
the planner sees mojibake. The rule here: if the text bytes decode as strict
UTF-8 it is UTF-8 (GBK text almost never does), else GB18030 (a superset of GBK
and GB2312). The planner can always override the guess.
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from heatgis.errors import HeatGISError
from heatgis.text import Text

#: what a planner may type for an override, mapped onto Python/GDAL codec names
ALIASES = {
    "utf8": "UTF-8",
    "utf-8": "UTF-8",
    "utf_8": "UTF-8",
    "utf-8-sig": "UTF-8-SIG",
    "gbk": "GB18030",
    "cp936": "GB18030",
    "936": "GB18030",
    "gb2312": "GB18030",
    "gb18030": "GB18030",
    "latin1": "ISO-8859-1",
    "iso-8859-1": "ISO-8859-1",
    "big5": "BIG5",
    "utf-16": "UTF-16",
}

SAMPLE_BYTES = 2_000_000

# DBF language driver ids that name a Chinese code page (ESRI's list)
_LDID_CHINESE = {0x4D: "GB18030", 0x7A: "GB18030"}
_LDID_UTF8: set[int] = set()  # ESRI has none; UTF-8 DBFs rely on the .cpg


@dataclass(frozen=True)
class EncodingGuess:
    """The encoding of a file's text and why.

    Attributes
    ----------
    encoding : str
        A codec name Python and GDAL both accept (``UTF-8``, ``GB18030`` ...).
    reason : str
        One sentence for the import notes (a :class:`heatgis.text.Text`: English and Chinese).
    certain : bool
        False when the bytes allowed no sure decision (e.g. neither UTF-8 nor GB18030).
    """

    encoding: str
    reason: str
    certain: bool = True


def normalize_encoding(name: str | None) -> str | None:
    """A planner's encoding name (``gbk``, ``utf8`` ...) as a codec name, or None.

    Raises
    ------
    HeatGISError
        The name is not a known text encoding.
    """
    if name is None or str(name).strip() == "":
        return None
    key = str(name).strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    try:
        return codecs.lookup(key).name.upper()
    except LookupError:
        raise HeatGISError(
            Text("'{name}' is not a text encoding I know", "'{name}' 不是可识别的文本编码", name=name),
            Text(
                "use utf-8 or gbk (GB18030 covers GBK and GB2312)", "请使用 utf-8 或 gbk（GB18030 涵盖 GBK 和 GB2312）"
            ),
        ) from None


def _utf8_ok(chunks) -> bool | None:
    """True if every chunk with non-ASCII bytes is UTF-8, False if one is not, None if all ASCII.

    A multi-byte character cut at the end of a chunk (DBF field widths cut text
    by bytes) is accepted.
    """
    seen = False
    for b in chunks:
        if not b or max(b) < 0x80:
            continue
        seen = True
        try:
            b.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data" and exc.start >= len(b) - 3:
                continue
            return False
    return None if not seen else True


def _gb_ok(chunks) -> bool:
    for b in chunks:
        if not b or max(b) < 0x80:
            continue
        try:
            b.decode("gb18030")
        except UnicodeDecodeError as exc:
            if exc.start >= len(b) - 1:
                continue
            return False
    return True


#: what was looked at, named in the reasons
_WHAT = {
    "file": Text("file", "文件"),
    "text": Text("text", "文本"),
    "DBF text (no .cpg file)": Text("DBF text (no .cpg file)", "DBF 文本（没有 .cpg 文件）"),
}
#: the reason when the planner chose the encoding
CHOSEN = Text("chosen by the user", "由用户指定")


def _what(what) -> Text:
    return what if isinstance(what, Text) else _WHAT.get(str(what), Text(str(what), str(what)))


def decide(chunks, what: str) -> EncodingGuess:
    """Decide UTF-8 vs GB18030 from byte chunks (field values, lines)."""
    chunks = list(chunks)
    utf8 = _utf8_ok(chunks)
    w = _what(what)
    if utf8 is None:
        return EncodingGuess("UTF-8", Text("the {what} is plain ASCII", "{what}全部是 ASCII 字符", what=w))
    if utf8:
        return EncodingGuess("UTF-8", Text("the {what} decodes as UTF-8", "{what}可按 UTF-8 解码", what=w))
    if _gb_ok(chunks):
        return EncodingGuess(
            "GB18030",
            Text(
                "the {what} is not UTF-8 but decodes as GBK/GB18030", "{what}不是 UTF-8，可按 GBK/GB18030 解码", what=w
            ),
        )
    return EncodingGuess(
        "GB18030",
        Text(
            "the {what} is neither valid UTF-8 nor GBK; read as GB18030, some characters may be wrong",
            "{what}既不是有效的 UTF-8，也不是 GBK；按 GB18030 读取，部分字符可能有误",
            what=w,
        ),
        certain=False,
    )


def dbf_chunks(path: Path, limit: int = SAMPLE_BYTES) -> tuple[list[bytes], int]:
    """The field names and field values of a DBF (first ``limit`` bytes of records), and its LDID."""
    with open(path, "rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            raise HeatGISError(
                Text("the .dbf file is truncated (no header)", ".dbf 文件不完整（没有文件头）"),
                Text("copy the Shapefile again, with all its files", "请重新复制 Shapefile，连同它的全部文件"),
                file=path,
            )
        nrec, hlen, rlen = struct.unpack("<IHH", head[4:12])
        ldid = head[29]
        desc = fh.read(max(hlen - 32, 0))
        fields = []
        for k in range(0, len(desc) - 31, 32):
            d = desc[k : k + 32]
            if d[0] == 0x0D:
                break
            fields.append((d[:11].split(b"\x00")[0], d[16]))
        chunks = [name for name, _ in fields]
        if rlen <= 1:
            return chunks, ldid
        fh.seek(hlen)
        n = max(1, min(nrec, limit // rlen))
        data = fh.read(n * rlen)
    for r in range(0, len(data) - rlen + 1, rlen):
        pos = r + 1  # deletion flag
        for _, width in fields:
            chunks.append(data[pos : pos + width].rstrip(b" \x00"))
            pos += width
    return chunks, ldid


def detect_dbf_encoding(shp_or_dbf) -> EncodingGuess:
    """The encoding of a Shapefile's attributes.

    A ``.cpg`` beside the file wins; then a Chinese language driver id in the
    DBF header; then the bytes decide (strict UTF-8, else GB18030).
    """
    p = Path(shp_or_dbf)
    dbf = next((p.with_suffix(s) for s in (".dbf", ".DBF") if p.with_suffix(s).exists()), None)
    if dbf is None:
        return EncodingGuess("UTF-8", Text("no .dbf found", "没有找到 .dbf 文件"), certain=False)
    cpg = next((p.with_suffix(s) for s in (".cpg", ".CPG") if p.with_suffix(s).exists()), None)
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", "replace").strip()
        try:
            enc = normalize_encoding(text)
        except HeatGISError:
            enc = None
        if enc:
            return EncodingGuess(enc, Text("the .cpg file says {text}", ".cpg 文件注明为 {text}", text=text))
    chunks, ldid = dbf_chunks(dbf)
    if ldid in _LDID_CHINESE:
        return EncodingGuess(
            _LDID_CHINESE[ldid],
            Text(
                "the DBF header names code page 936 (LDID {ldid:#x})",
                "DBF 文件头注明代码页 936（LDID {ldid:#x}）",
                ldid=ldid,
            ),
        )
    return decide(chunks, "DBF text (no .cpg file)")


def detect_text_encoding(path, limit: int = SAMPLE_BYTES) -> EncodingGuess:
    """The encoding of a CSV or text file: a BOM, else strict UTF-8, else GB18030."""
    with open(path, "rb") as fh:
        data = fh.read(limit)
    return detect_bytes_encoding(data, "file")


def detect_bytes_encoding(data: bytes, what: str = "text") -> EncodingGuess:
    """The encoding of raw bytes (see :func:`detect_text_encoding`)."""
    if data.startswith(codecs.BOM_UTF8):
        return EncodingGuess(
            "UTF-8-SIG",
            Text(
                "the {what} starts with a UTF-8 byte-order mark",
                "{what}以 UTF-8 字节顺序标记（BOM）开头",
                what=_what(what),
            ),
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return EncodingGuess(
            "UTF-16",
            Text(
                "the {what} starts with a UTF-16 byte-order mark",
                "{what}以 UTF-16 字节顺序标记（BOM）开头",
                what=_what(what),
            ),
        )
    return decide(data.splitlines() or [data], what)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, EncodingGuess]:
    """Decode bytes with the given or detected encoding (never silently lossy for UTF-8)."""
    enc = normalize_encoding(encoding)
    guess = EncodingGuess(enc, CHOSEN) if enc else detect_bytes_encoding(data)
    return data.decode(guess.encoding, errors="replace"), guess
