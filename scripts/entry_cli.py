"""Frozen entry point of the console tool (heatgis-cli.exe): every batch command."""

import sys

from heatgis.cli import main

sys.exit(main())
