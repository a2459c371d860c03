"""The desktop app (PySide6 + pyqtgraph): the only home of widgets."""

#: organisation and application name of the app's QSettings
ORG, APP = "HeatGIS", "HeatGIS"

#: the core modules the window imports when it shows a project (its plan docks' planners): imported in
#: the open's worker, so the GUI thread does not stall on them (about 1 s, scipy's sparse graphs first).
#: Qt-free only: importing Qt modules from two threads at once is not safe
WARM_MODULES = (
    "heatgis.routing.planner",
    "heatgis.routing.ops",
    "heatgis.analysis.change",
    "heatgis.analysis.timeline",
    "heatgis.analysis.quality",
    # the staffing panel's core and its first solve's min-cost flow (loading the extension held the
    # interpreter ~50 ms while the window started up; no compiled bytecode: more)
    "heatgis.analysis.staffing",
    "heatgis.analysis.staffing.overrides",
    "heatgis.analysis.staffing.reasons",
    "heatgis.analysis.staffing.rules",
    "ortools.graph.python.min_cost_flow",
)


def warm_imports() -> None:
    """Import :data:`WARM_MODULES` (in a worker; a module already imported costs nothing)."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
