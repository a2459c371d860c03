"""Packaging: everything else is in pyproject.toml. This file only maps the repository's top-level
``data/`` and ``resources/`` folders (their one source) into the wheel as ``heatgis/data`` and
``heatgis/resources``, where ``heatgis.paths`` finds them in an installed package; a list of packages
with a folder mapping cannot be written declaratively next to ``packages.find``."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["heatgis", "heatgis.*"]) + ["heatgis.data", "heatgis.resources"],
    package_dir={"heatgis.data": "data", "heatgis.resources": "resources"},
    package_data={
        "heatgis": ["py.typed"],
        "heatgis.data": ["hohhot_demo.gpkg", "README.md", "sources/*"],
        "heatgis.resources": ["translations/*.qm", "slides/*.pptx"],
    },
    exclude_package_data={"heatgis.data": ["*.bak"]},
)
