"""Map styles: how each layer is drawn, as plain data shared by screen, PDF and PNG.

A ``MapStyle`` is an ordered list of ``LayerStyle`` (drawn first to last, so the
last one is on top). Colours are ``#rrggbb`` strings; widths and symbol sizes
are in device pixels (points when printing), independent of the zoom.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from heatgis.model.vocab import LEVEL_ZH

ROAD_CLASSES = {  # class: (colour, width px, minimum metres-per-pixel shown up to)
    "ring": ("#d9822b", 2.6, None),
    "expressway": ("#e0a030", 2.2, None),
    "arterial": ("#c8a060", 1.6, None),
    "secondary": ("#b8b0a0", 1.0, 30.0),
    "local": ("#cfcac0", 0.8, 8.0),
}
LEVEL_STYLE = {  # zone level (model.vocab.ZONE_LEVELS): (colour, hatched)
    "sealed": ("#d62728", True),
    "controlled": ("#ff7f0e", False),
    "precaution": ("#e6c619", False),
}
NETWORK_PALETTE = [
    "#1f77b4",
    "#17becf",
    "#9467bd",
    "#2ca02c",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#31a354",
    "#756bb1",
]
LOCKED_COLOUR = "#ff00aa"


@dataclass
class Category:
    """One class of a categorised layer (a road class, a pipe network, a zone level)."""

    value: str
    color: str
    width: float = 1.0
    label_en: str = ""
    label_zh: str = ""
    max_scale: float | None = None  # drawn only when metres per pixel <= this
    hatched: bool = False


@dataclass
class LayerStyle:
    """How one layer is drawn.

    Attributes
    ----------
    layer : str
        Contract layer name.
    kind : {"polygon", "line", "point", "zone"}
    color : str
        Outline / line / symbol colour.
    fill : str or None
        Polygon fill colour (drawn with ``fill_alpha``).
    width, size : float
        Line width and point symbol size, in pixels.
    opacity : float
        0..1, applied to the whole layer.
    symbol : {"circle", "square"}
    category_field : str or None
        Field whose values pick a ``Category``; unknown values use ``color``.
    labels : bool
        Draw labels (from ``label_field``) when zoomed in past ``label_scale``
        metres per pixel.
    """

    layer: str
    kind: str
    title_en: str
    title_zh: str
    color: str = "#333333"
    fill: str | None = None
    fill_alpha: float = 0.35
    width: float = 1.0
    size: float = 6.0
    opacity: float = 1.0
    visible: bool = True
    symbol: str = "circle"
    category_field: str | None = None
    categories: list[Category] = field(default_factory=list)
    labels: bool = False
    label_field: str | None = "name"
    label_scale: float = 6.0
    label_color: str = "#202020"
    label_size: float = 9.0

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def category(self, value) -> Category | None:
        for c in self.categories:
            if c.value == value:
                return c
        return None


@dataclass
class MapStyle:
    """The layers of a map in drawing order (first = bottom)."""

    layers: list[LayerStyle]
    lang: str = "zh"
    background: str = "#f4f2ec"

    def get(self, layer: str) -> LayerStyle | None:
        return next((s for s in self.layers if s.layer == layer), None)

    def copy(self) -> MapStyle:
        return copy.deepcopy(self)

    def move(self, layer: str, new_index: int) -> None:
        s = self.get(layer)
        self.layers.remove(s)
        self.layers.insert(max(0, min(new_index, len(self.layers))), s)


def default_style(network_ids=(), lang: str = "zh") -> MapStyle:
    """The house style: quiet base map, strong sites, zones by level (sealed hatched).

    Parameters
    ----------
    network_ids : iterable of str
        Pipe networks, each given a colour of ``NETWORK_PALETTE``.
    lang : {"zh", "en"}
    """
    road_zh = {"ring": "环路", "expressway": "快速路", "arterial": "主干道", "secondary": "次干道", "local": "支路"}
    nets = sorted({str(n) for n in network_ids if n is not None})
    return MapStyle(
        [
            LayerStyle(
                "districts",
                "polygon",
                "Districts",
                "行政区",
                color="#8a8070",
                fill="#efece3",
                fill_alpha=1.0,
                width=1.6,
                labels=True,
                label_scale=1e9,
                label_size=13,
                label_color="#6b6254",
            ),
            LayerStyle(
                "compounds",
                "polygon",
                "Compounds",
                "小区",
                color="#b9b2a2",
                fill="#ddd6c6",
                fill_alpha=0.6,
                width=0.6,
                labels=True,
                label_scale=3.0,
                label_size=8,
                label_color="#6d6658",
            ),
            LayerStyle(
                "roads",
                "line",
                "Roads",
                "道路",
                color="#c0b8a8",
                width=1.0,
                category_field="road_class",
                categories=[Category(k, c, w, k, road_zh[k], m) for k, (c, w, m) in ROAD_CLASSES.items()],
                labels=False,
                label_scale=3.0,
            ),
            LayerStyle(
                "pipes",
                "line",
                "Heating pipes",
                "供热管网",
                color="#1f77b4",
                width=1.2,
                category_field="network_id",
                categories=[
                    Category(n, NETWORK_PALETTE[i % len(NETWORK_PALETTE)], 1.2, n, n) for i, n in enumerate(nets)
                ],
                label_field=None,
            ),
            LayerStyle(
                "lockdown_zones",
                "zone",
                "Lockdown zones",
                "管控区",
                color="#d62728",
                fill="#d62728",
                fill_alpha=0.22,
                width=1.8,
                category_field="level",
                categories=[Category(k, c, 1.8, k, LEVEL_ZH[k], None, h) for k, (c, h) in LEVEL_STYLE.items()],
                labels=True,
                label_scale=12.0,
                label_size=9,
                label_color="#8b0000",
            ),
            LayerStyle(
                "staff",
                "point",
                "Staff homes",
                "员工住址",
                color="#2ca02c",
                size=3.5,
                visible=True,
                labels=False,
                label_scale=1.0,
                label_size=8,
            ),
            LayerStyle(
                "depots",
                "point",
                "Depots",
                "运营所",
                color="#6a3d9a",
                size=10,
                symbol="square",
                labels=True,
                label_scale=20.0,
            ),
            LayerStyle(
                "boiler_rooms",
                "point",
                "Boiler rooms",
                "锅炉房",
                color="#ff7f0e",
                size=7,
                symbol="square",
                labels=True,
                label_scale=6.0,
            ),
            LayerStyle(
                "stations",
                "point",
                "Heat-exchange stations",
                "换热站",
                color="#1f5fbf",
                size=6,
                labels=True,
                label_scale=6.0,
                label_size=8.5,
                label_color="#123c7a",
            ),
            # dark brown squares: red is the sealed zones' alone (issue 15)
            LayerStyle(
                "heat_sources",
                "point",
                "Heat sources",
                "热源",
                color="#7f3b08",
                size=13,
                symbol="square",
                labels=True,
                label_scale=40.0,
                label_size=10,
                label_color="#4d2406",
            ),
        ],
        lang=lang,
    )
