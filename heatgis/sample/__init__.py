"""The deterministic demo city (Hohhot, winter 2022) and its tiled benchmark version."""

from heatgis.sample.demo import DEMO_SEED, REFERENCE_TIME, generate_demo
from heatgis.sample.scale import tile_project

__all__ = ["generate_demo", "tile_project", "REFERENCE_TIME", "DEMO_SEED"]
