"""Frozen entry point of the windowed app (HeatGIS.exe): the desktop app, or a command if given."""

import sys

from heatgis.cli import main

sys.exit(main())
