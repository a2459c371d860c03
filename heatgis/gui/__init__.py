"""The desktop app (PySide6 + pyqtgraph): the only home of widgets."""

#: organisation and application name of the app's QSettings
ORG, APP = "HeatGIS", "HeatGIS"
