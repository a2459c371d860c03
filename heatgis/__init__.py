"""HeatGIS: desktop GIS planning for district-heating companies in an emergency."""

__version__ = "0.1.0"
