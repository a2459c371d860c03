"""The window's first map of an open, rendered in the open's worker.

The canvas keeps the map in cached images (``map_items.BaseMapItem``). On the 10x city, rendering
them on the GUI thread when the opened project lands stalled the window ~0.1 s. ``FirstMap``
renders the same stacks, with the same code, in the open's worker (QImage painting is allowed off
the GUI thread; no QPixmap, no widget is touched), for the frame the canvas will show: the whole city
(``MapCanvas.zoom_full``) in a viewport of the size it has when the open starts. The canvas adopts
the images when its first frame is that one (``BaseMapItem._adopt``); its own ``_update`` then
compares the stacks' keys (every layer's state and placed labels) as it does for a cached frame, and
renders again only what differs. Any other frame (the window was resized meanwhile, another device
pixel ratio) renders as before.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6 import QtCore, QtGui

from heatgis.gui.map_items import BaseMapItem


def full_view_transform(bounds, pad: float, width: int, height: int, min_size: float = 300.0) -> QtGui.QTransform:
    """The world-to-device transform of the canvas after ``zoom_to(bounds, pad)`` in a viewport of
    ``width`` x ``height`` (the same arithmetic as pyqtgraph's ``ViewBox.setRange`` with its aspect
    locked, ``updateViewRange`` and ``updateMatrix``: the transforms agree to the last bit)."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = max(x1 - x0, min_size), max(y1 - y0, min_size)
    target = []
    for lo, hi in ((cx - w / 2, cx + w / 2), (cy - h / 2, cy + h / 2)):
        mn, mx = min(lo, hi), max(lo, hi)
        p = (mx - mn) * pad
        target.append([mn - p, mx + p])
    tr = QtCore.QRectF(target[0][0], target[1][0], target[0][1] - target[0][0], target[1][1] - target[1][0])
    bounds_px = QtCore.QRectF(0, 0, width, height)
    view = [target[0][:], target[1][:]]
    target_ratio = tr.width() / tr.height()
    view_ratio = bounds_px.width() / bounds_px.height()
    dy = 0.5 * (tr.width() / view_ratio - tr.height())
    dx = 0.5 * (tr.height() * view_ratio - tr.width())
    if target_ratio > view_ratio:
        view[1] = [target[1][0] - dy, target[1][1] + dy]
    else:
        view[0] = [target[0][0] - dx, target[0][1] + dx]
    vr = QtCore.QRectF(view[0][0], view[1][0], view[0][1] - view[0][0], view[1][1] - view[1][0])
    m = QtGui.QTransform()
    center = bounds_px.center()
    m.translate(center.x(), center.y())
    m.scale(bounds_px.width() / vr.width(), -(bounds_px.height() / vr.height()))
    st = vr.center()
    m.translate(-st.x(), -st.y())
    return m


class FirstMap:
    """``BaseMapItem``'s stacks for one frame, rendered away from any canvas (the open's worker).

    Parameters
    ----------
    renderer : MapRenderer
        The renderer the session will draw with (its locked sites and overlays as the session's).
    transform : QTransform
        The canvas's world-to-device transform (``full_view_transform``).
    width, height : int
        The viewport in device-independent pixels; ``dpr`` its device pixel ratio.
    antialias : bool
        The canvas's ``antialias``.
    """

    MARGIN = BaseMapItem.MARGIN
    WHOLE_SHARE = BaseMapItem.WHOLE_SHARE
    ZONE_PAD_PX, LABEL_PAD_PX = BaseMapItem.ZONE_PAD_PX, BaseMapItem.LABEL_PAD_PX
    CLIP_SLACK_PX2 = BaseMapItem.CLIP_SLACK_PX2
    # the drawing of the canvas's item, the same functions (no Qt item, no widget)
    _margin = BaseMapItem._margin
    image_frame = BaseMapItem.image_frame
    new_image = BaseMapItem.new_image
    begin = BaseMapItem.begin
    stacks = BaseMapItem.stacks
    is_sheet = BaseMapItem.is_sheet
    new_sheet = BaseMapItem.new_sheet
    _update = BaseMapItem._update
    _changed = BaseMapItem._changed
    _clips = BaseMapItem._clips
    _render = BaseMapItem._render
    _draw_sheet = BaseMapItem._draw_sheet
    _draw_stack = BaseMapItem._draw_stack
    _draw_layers = BaseMapItem._draw_layers

    def __init__(
        self, renderer, transform: QtGui.QTransform, width: int, height: int, dpr: float = 1.0, antialias=True
    ):
        self.canvas = SimpleNamespace(session=SimpleNamespace(renderer=renderer), antialias=antialias)
        self.renderer = renderer
        self.transform = transform
        self.size = (int(width), int(height), float(dpr))
        self._frame = (None, *self._margin(transform, int(width), int(height), float(dpr)))
        self._stacks: list = []
        self._dirty = True
        self.renders = self.partial_renders = self.clipped_renders = self.sheet_renders = 0

    def render(self) -> FirstMap:
        """Render every stack (as the canvas's first paint would); then forget the glyphs laid out
        here (``forget_glyphs``)."""
        try:
            self._update()
        finally:
            forget_glyphs(self.renderer)
        return self

    def matches(self, renderer, transform: QtGui.QTransform, width: int, height: int, dpr: float, antialias) -> bool:
        """True when the canvas's frame is the one these stacks were rendered for."""
        t = self.transform
        same = (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy()) == (
            transform.m11(),
            transform.m12(),
            transform.m21(),
            transform.m22(),
            transform.dx(),
            transform.dy(),
        )
        return (
            same
            and renderer is self.renderer
            and self.size == (int(width), int(height), float(dpr))
            and antialias == self.canvas.antialias
            and bool(self._stacks)
        )


def forget_glyphs(renderer) -> None:
    """Drop the labels' laid-out texts (``Labels._static_text``): a QStaticText holds the font engine
    of the thread that prepared it, gone with the worker (drawn in the GUI thread, it crashed)."""
    from heatgis.render.labels import Labels

    for painter in renderer.painters.values():
        for value in vars(painter).values() if painter is not None else ():
            for item in value.values() if isinstance(value, dict) else (value,):
                if isinstance(item, Labels):
                    item.__dict__.pop("_statics", None)


def render_first_map(renderer, view_px, dpr: float = 1.0, antialias: bool = True) -> FirstMap | None:
    """The first map of ``renderer``'s project in a canvas of ``view_px`` (width, height), its whole
    city framed (``MapCanvas.zoom_full``); None without anything to frame."""
    from heatgis.render.mapdraw import MapRenderer

    full = renderer.city_bounds()
    if full is None or not view_px or min(view_px) <= 0:
        return None
    t = full_view_transform(full, MapRenderer.FULL_PAD, int(view_px[0]), int(view_px[1]))
    return FirstMap(renderer, t, int(view_px[0]), int(view_px[1]), dpr, antialias).render()


def first_map_work(renderer, size):
    """The work of drawing the first map again for a canvas of ``size`` (width, height, device pixel
    ratio): the window's panels took some of the room the open's worker drew it for."""

    def work(feedback):
        feedback.set_progress(50, "")
        return render_first_map(renderer, size[:2], size[2])

    return work
