"""HeatGIS: desktop GIS planning for district-heating companies in an emergency."""

__version__ = "0.1.0"

import os as _os
import time as _time

# One BLAS thread per calling thread, set before numpy loads OpenBLAS. HeatGIS multiplies small
# matrices (sites x times) in several worker threads at once; OpenBLAS's own thread pool, entered
# from several threads together, is known to hang a caller for good (numpy/numpy#17752), and on a
# two-core workstation it only competes with those workers. A planner's own setting is kept.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

#: when HeatGIS was first imported (the start-up time of the app is measured from here)
STARTED = _time.perf_counter()
