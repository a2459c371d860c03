"""Map tools: pan, identify, box select, draw zone, edit zone, dispatch."""

from heatgis.gui.tools.base import IdentifyTool, MapTool, PanTool, SelectTool
from heatgis.gui.tools.dispatch import DispatchTool
from heatgis.gui.tools.zones import DrawZoneTool, EditZoneTool

__all__ = ["MapTool", "PanTool", "IdentifyTool", "SelectTool", "DrawZoneTool", "EditZoneTool", "DispatchTool"]
