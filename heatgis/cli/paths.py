"""Where the bundled demo lives."""
from __future__ import annotations

from pathlib import Path

DEMO_PATH = Path(__file__).resolve().parents[2] / "data" / "hohhot_demo.gpkg"
