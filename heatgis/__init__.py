"""HeatGIS: desktop GIS planning for district-heating companies in an emergency."""

__version__ = "0.1.0"

import time as _time

#: when HeatGIS was first imported (the start-up time of the app is measured from here)
STARTED = _time.perf_counter()
