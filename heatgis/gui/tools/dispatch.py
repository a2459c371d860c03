"""The dispatch tool: click a station or boiler room, the nearest free crew is sent (and drawn)."""

from __future__ import annotations

from PySide6 import QtCore

from heatgis.gui.tools.base import MapTool

SITE_LAYERS = ("stations", "boiler_rooms")
SITE_ID = {"stations": "station_id", "boiler_rooms": "asset_id"}


def site_id_of(project, layer: str, row: int) -> str | None:
    """The site id of a station / boiler room row (None for other layers)."""
    if layer not in SITE_ID:
        return None
    return str(project.layer(layer)[SITE_ID[layer]].iloc[int(row)])


class DispatchTool(MapTool):
    """Click a site with a fault: the host finds the nearest free crew and its ETA."""

    name = "dispatch"
    cursor = QtCore.Qt.CursorShape.PointingHandCursor

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton or self.session is None:
            return False
        hit = self.pick(*self.map_pos(ev), layers=SITE_LAYERS)
        if hit is None:
            self.host.show_message(
                QtCore.QCoreApplication.translate(
                    "DispatchTool", "Click a station or boiler room to dispatch a crew to it"
                )
            )
            return True
        self.session.select(hit[0], [hit[1]])
        self.host.dispatch_to(site_id_of(self.session.project, *hit))
        return True
