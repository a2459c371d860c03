"""The ticket tool: click a site (or any point of the city) for a new repair / customer-visit ticket."""

from __future__ import annotations

from PySide6 import QtCore

from heatgis.gui.tools.base import MapTool
from heatgis.gui.tools.dispatch import site_id_of

TICKET_LAYERS = ("stations", "boiler_rooms", "heat_sources")


class TicketTool(MapTool):
    """One click: ``on_pick(site_id, x, y)`` with the site under the cursor (else None and the point);
    then the host goes back to panning."""

    name = "ticket"
    cursor = QtCore.Qt.CursorShape.CrossCursor

    def __init__(self, canvas, host, on_pick):
        super().__init__(canvas, host)
        self.on_pick = on_pick

    def click(self, ev) -> bool:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton or self.session is None:
            return False
        x, y = self.map_pos(ev)
        hit = self.pick(x, y, layers=TICKET_LAYERS)
        site = None
        if hit is not None:
            layer, row = hit
            site = site_id_of(self.session.project, layer, row)
            if site is None and layer == "heat_sources":
                site = str(self.session.project.layer(layer)["source_id"].iloc[int(row)])
        self.host.set_tool("pan")
        self.on_pick(site, x, y)
        return True
