"""Read back the text of the outputs (PDF, XLSX, PPTX) and tell which of it is in the other language
(a test helper for ``test_outputs_language.py``).

The demo's names are Chinese data (compounds, stations, staff, addresses, districts, zones, notices):
they are collected from the project's layers and removed from the text before it is checked, so an
English output may show "华虹苑换热站" but not "换热站" on its own; ids, phone numbers and the project's
own name are data too. Codes a layer stores (levels, kinds, fuels, roles, skills, road classes) are
not data: an output shows them in its language.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

#: the columns of the layers that hold data as the planner typed or imported it (names, ids, places)
DATA_COLUMNS = ("name", "district", "address", "source", "notes", "phone")
CODE_COLUMNS = {"level", "kind", "fuel", "role", "skills", "skill", "road_class", "status"}

#: Latin words a Chinese output may carry, each for a reason
ALLOWED_IN_ZH = {
    # units and their symbols (the vocabulary's units: km, kW, MW, min are written so in Chinese too)
    "km",
    "kw",
    "mw",
    "min",
    # codes and formats the planner types or reads as they are
    "eta",  # ETA: dispatchers' word for arrival time, on the route sheets beside 预计到达
    "gcj",  # GCJ-02: the name of the coordinate system
    "cgcs",  # CGCS2000: the name of the coordinate system
    "epsg",  # EPSG:4546: a code
    "sha",  # SHA-256: the checksum's name (published.json's figures)
    "heatgis",  # the program's name
    "openstreetmap",  # the data's source and licence line on the maps (ODbL attribution)
    "osm",
}

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[A-Za-z]{3,}")


def pdf_text(path: Path) -> str:
    """Every text of a PDF (pdftotext, raw order: a label's characters stay together)."""
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def xlsx_texts(path: Path) -> list[tuple[str, str]]:
    """(sheet!cell, text) for every cell holding text (headers included) and every sheet name."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append((f"sheet {ws.title}", ws.title))
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.strip():
                    out.append((f"{ws.title}!{c.coordinate}", c.value))
    return out


def _shape_texts(shape, where, out):
    if shape.shape_type == 6 or hasattr(shape, "shapes"):  # a group
        for s in getattr(shape, "shapes", []):
            _shape_texts(s, where, out)
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame and shape.text_frame.text.strip():
        out.append((where, shape.text_frame.text))
    if getattr(shape, "has_table", False) and shape.has_table:
        for r, row in enumerate(shape.table.rows):
            for c, cell in enumerate(row.cells):
                if cell.text.strip():
                    out.append((f"{where} table[{r},{c}]", cell.text))
    if getattr(shape, "has_chart", False) and shape.has_chart:
        chart = shape.chart
        if chart.has_title and chart.chart_title.has_text_frame:
            out.append((f"{where} chart title", chart.chart_title.text_frame.text))
        for plot in chart.plots:
            out += [(f"{where} chart category", str(c)) for c in plot.categories]
            out += [(f"{where} chart series", s.name) for s in plot.series if s.name]


def pptx_texts(path: Path) -> list[tuple[str, str]]:
    """(slide N, text) for every slide's text frames, tables, charts and notes."""
    from pptx import Presentation

    out: list[tuple[str, str]] = []
    for i, slide in enumerate(Presentation(str(path)).slides, 1):
        for shape in slide.shapes:
            _shape_texts(shape, f"slide {i}", out)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip():
            out.append((f"slide {i} notes", slide.notes_slide.notes_text_frame.text))
    return out


def data_values(project) -> list[str]:
    """The project's data texts (names, places, ids, the project's name), longest first."""
    values = {str(project.meta.get("name") or "")}
    for name in project.layers:
        df = project.layer(name)
        for col in df.columns:
            if col in CODE_COLUMNS or col == "geometry" or df[col].dtype != object:
                continue
            if col in DATA_COLUMNS or col.endswith("_id") or col in ("served_by", "assigned_site", "adcode"):
                values.update(str(v) for v in df[col].dropna().unique())
    return sorted((v for v in values if v.strip()), key=len, reverse=True)


#: file names an output refers to (the project file, report.xlsx): names, not words
FILE = re.compile(r"[\w.-]+\.(?:gpkg|xlsx|pptx|pdf|png|csv|json|geojson|mbtiles)\b", re.I)
#: a data value cut short to fit its column ("西菜园佳苑封…"): what is left before the ellipsis
CUT = re.compile(r"([\u3400-\u9fff\w-]+)…")


class Scrubber:
    """Removes the data values from a text (longest first, so a station's name goes before its
    compound's), file names, and data cut short with an ellipsis (the start of a data value)."""

    def __init__(self, values: list[str]):
        self.values = values
        self.corpus = "\n" + "\n".join(values) + "\n"
        vals = [re.escape(v) for v in values]
        self._re = [re.compile("|".join(vals[i : i + 2000])) for i in range(0, len(vals), 2000)]

    def __call__(self, text: str) -> str:
        text = FILE.sub(" ", text)
        text = CUT.sub(lambda m: " " if m.group(1) in self.corpus else m.group(0), text)
        for r in self._re:
            text = r.sub(" ", text)
        return text


def foreign_words(text: str, lang: str, scrub: Scrubber) -> list[str]:
    """The words of ``text`` in the other language once the data is removed: Chinese in an English
    output, Latin words of 3+ letters (not units, codes or names in ``ALLOWED_IN_ZH``) in a Chinese one."""
    rest = scrub(text)
    if lang == "en":
        return HAN.findall(rest)
    return [w for w in WORD.findall(rest) if w.lower() not in ALLOWED_IN_ZH]
