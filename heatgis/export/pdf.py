"""PDF, PNG and printer output of the print layout (QtGui only; one layout for all three).

``write_pdf(pages, spec, path, renderer)`` writes a vector PDF (text as text,
the CJK font embedded) with one page per ``MapPage`` — a map series is just a
longer list. ``write_png(page, spec, path, renderer)`` rasterises the same
layout at the spec's dpi; ``print_pages(printer, ...)`` sends it to a QPrinter;
``page_image`` gives a preview image of any width.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6 import QtCore, QtGui

from heatgis.errors import Feedback, HeatGISError
from heatgis.export.files import check_writable, replace_file
from heatgis.render.layout import MapPage, PageSpec, paint_page
from heatgis.text import Text

_APP = None


def ensure_gui_app():
    """A QGuiApplication for fonts and painting (offscreen on a display-less Linux)."""
    global _APP
    app = QtGui.QGuiApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP = QtGui.QGuiApplication(["heatgis"])
    return _APP


def write_pdf(
    pages: list[MapPage], spec: PageSpec, path, renderer, feedback: Feedback | None = None, title: str = ""
) -> Path:
    """Write ``pages`` as one vector PDF.

    Parameters
    ----------
    pages : list of MapPage
    spec : PageSpec
    path : path-like
    renderer : MapRenderer
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between pages: a cancelled PDF raises ``Cancelled`` and
        leaves no file (an existing one at ``path`` is kept as it was).

    Returns
    -------
    Path
    """
    ensure_gui_app()
    path = check_writable(path)
    if not pages:
        raise HeatGISError(
            Text("there is no page to print", "没有可打印的页面"),
            Text("choose a time with active zones, or the city map", "选择有生效管控区的时间，或打印全市地图"),
            file=path,
        )
    return write_pages(
        path,
        spec,
        len(pages),
        title or pages[0].title,
        lambda painter, i: paint_page(painter, spec, pages[i], renderer, i + 1, len(pages)),
        feedback,
        what="page",
    )


#: what a printed output's pages are, as its progress names them
_PAGE_WORDS = {
    "page": Text("page", "页"),
    "roster page": Text("roster page", "值班表页"),
    "route sheet": Text("route sheet", "路线单"),
}


def write_pages(
    path: Path, spec: PageSpec, n: int, title: str, paint, feedback: Feedback | None = None, what: str = "page"
) -> Path:
    """The vector PDF loop every printed output shares.

    ``paint(painter, i)`` draws page ``i`` on a ``QPdfWriter`` whose device units
    are points (72 dpi). The file is written beside ``path`` and replaces it only
    when every page is done; cancelling removes it and raises ``Cancelled``.
    """
    tmp = path.with_name(path.name + ".part")
    writer = QtGui.QPdfWriter(str(tmp))
    writer.setPageLayout(spec.page_layout())
    writer.setResolution(72)  # device units are points: the style's pixels print as points
    writer.setTitle(title)
    writer.setCreator("HeatGIS")
    painter = QtGui.QPainter()
    if not painter.begin(writer):
        raise HeatGISError(
            Text("the PDF could not be opened for writing", "PDF 无法打开以写入"),
            Text("close it in the PDF viewer, or choose another file", "在 PDF 阅读器中关闭它，或另选文件"),
            file=path,
        )
    ok = False
    try:
        for i in range(n):
            if feedback is not None:
                feedback.check(f"printing ({what}s)")
            if i:
                writer.newPage()
            paint(painter, i)
            if feedback is not None:
                feedback.set_progress(
                    100.0 * (i + 1) / n,
                    Text("{what} {i}/{n}", "{what} {i}/{n}", what=_PAGE_WORDS.get(what, what), i=i + 1, n=n),
                )
        ok = True
    finally:
        painter.end()
        if not ok:  # cancelled or failed: no half-written file
            tmp.unlink(missing_ok=True)
    return replace_file(tmp, path)


def page_image(
    page: MapPage, spec: PageSpec, renderer, width_px: int | None = None, page_no: int = 1, pages: int = 1
) -> QtGui.QImage:
    """The page as an image, ``width_px`` wide (default: the spec's dpi)."""
    ensure_gui_app()
    w_px, h_px = spec.size_px
    if width_px is not None:
        h_px = round(h_px * width_px / w_px)
        w_px = int(width_px)
    img = QtGui.QImage(w_px, h_px, QtGui.QImage.Format.Format_RGB32)
    # paint at 72 logical dpi (font points = layout units, as on the PDF), then record the real dpi
    _set_dpi(img, 72.0)
    img.fill(QtGui.QColor("#ffffff"))
    painter = QtGui.QPainter(img)
    try:
        paint_page(painter, spec, page, renderer, page_no, pages)
    finally:
        painter.end()
    _set_dpi(img, w_px / (spec.size_mm[0] / 25.4))
    return img


def _set_dpi(img: QtGui.QImage, dpi: float) -> None:
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))


def write_png(page: MapPage, spec: PageSpec, path, renderer) -> Path:
    """Write the page as a PNG at the spec's dpi (A4 landscape at 300 dpi: 3508 x 2480 px)."""
    path = check_writable(path)
    img = page_image(page, spec, renderer)
    tmp = path.with_name(path.name + ".part")
    try:
        encode_png(img, tmp)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise HeatGISError(
            Text("the PNG could not be written ({err})", "PNG 无法写入（{err}）", err=exc),
            Text("check the disk space and the folder's permissions", "检查磁盘空间和文件夹的写入权限"),
            file=path,
        ) from exc
    return replace_file(tmp, path)


#: zlib level of the PNGs we write: 3 encodes an A3 300-dpi page about twice as fast as Qt's
#: default (6) for a file ~10% larger; a planner's slide or wall print does not need more
PNG_LEVEL = 3


def encode_png(img: QtGui.QImage, path) -> None:
    """Write ``img`` as PNG (with its dpi) through Pillow at ``PNG_LEVEL``; Qt's writer if Pillow is
    missing. Raises OSError when the file cannot be written."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with python-pptx
        if not img.save(str(path), "PNG"):
            raise OSError("Qt could not write the PNG") from None
        return
    rgb = img.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    data = bytes(rgb.constBits())[: rgb.sizeInBytes()]
    pil = Image.frombuffer("RGB", (rgb.width(), rgb.height()), data, "raw", "RGB", rgb.bytesPerLine(), 1)
    dpi = round(img.dotsPerMeterX() * 0.0254, 2)
    pil.save(str(path), format="PNG", compress_level=PNG_LEVEL, dpi=(dpi, dpi))


def print_pages(printer, pages: list[MapPage], spec: PageSpec, renderer) -> int:
    """Print ``pages`` on a QPrinter (or any QPagedPaintDevice); returns the pages printed.

    The printer is set to the spec's paper and orientation with no margins, so
    the layout's own margins and the map scale stay true on paper.
    """
    ensure_gui_app()
    printer.setPageLayout(spec.page_layout())
    if hasattr(printer, "setFullPage"):
        printer.setFullPage(True)
    vector = True
    if hasattr(printer, "setResolution"):
        printer.setResolution(72)  # points as device units, as on the PDF
        vector = printer.resolution() == 72
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        raise HeatGISError(
            Text("the printer could not be opened", "无法打开打印机"),
            Text("check the printer in the print dialog", "在打印对话框中检查打印机"),
        )
    try:
        for i, page in enumerate(pages):
            if i:
                printer.newPage()
            if vector:
                paint_page(painter, spec, page, renderer, i + 1, len(pages))
            else:  # a driver that keeps its own resolution gets the page at 300 dpi
                img = page_image(page, spec, renderer, round(spec.size_mm[0] / 25.4 * 300), i + 1, len(pages))
                dev = painter.device()
                painter.drawImage(QtCore.QRectF(0, 0, dev.width(), dev.height()), img)
    finally:
        painter.end()
    return len(pages)
