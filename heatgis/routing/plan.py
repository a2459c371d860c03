"""The crew plan: routes, stops with ETAs, route geometries, dropped visits and their reasons.

``CrewPlan`` is what the CLI prints, the routes panel shows, the map draws and the
route sheets print. ``crew_colors`` gives each crew one colour everywhere.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROUTE_COLUMNS = [
    "crew_id",
    "seq",
    "site_id",
    "kind",
    "name",
    "address",
    "eta",
    "depart",
    "travel_s",
    "distance_m",
    "service_min",
    "zone_ids",
    "priority",
]
DROPPED_COLUMNS = ["site_id", "kind", "name", "reason", "detail"]
CREW_COLUMNS = [
    "crew_id",
    "name",
    "depot_id",
    "depot_name",
    "members",
    "shift_start",
    "shift_end",
    "color",
    "stops",
    "travel_s",
    "distance_m",
    "service_s",
    "leave",
    "back",
]

#: a qualitative palette (Okabe-Ito + Tableau), readable on a grey base map and in print
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8C564B",
    "#1F77B4",
    "#B8860B",
    "#7F3C8D",
    "#11A579",
    "#E73F74",
    "#3969AC",
    "#F2B701",
    "#80BA5A",
    "#008695",
]

#: dropped-visit reasons
UNREACHABLE = "unreachable"
OUTSIDE_SHIFT = "outside any shift"
TOO_FAR = "too far for the shift"
NO_CREW_TIME = "no crew time left in the shift"


def crew_colors(crew_ids) -> dict:
    """Crew id → hex colour, stable for a given ordering of crews."""
    return {str(c): PALETTE[i % len(PALETTE)] for i, c in enumerate(crew_ids)}


@dataclass
class CrewPlan:
    """A crew plan for one shift.

    Attributes
    ----------
    routes : DataFrame
        One row per served visit, ``ROUTE_COLUMNS``; ``eta`` is the start of
        service, ``depart`` its end; ``travel_s``/``distance_m`` are of the leg
        driven to the stop.
    legs : GeoDataFrame
        One row per leg driven (crew_id, seq, from_id, to_id, travel_s, distance_m,
        geometry along the roads); ``seq`` is the stop reached, the leg back to
        the depot has ``to_id`` = the depot id.
    crews : DataFrame
        One row per crew on the shift, ``CREW_COLUMNS``.
    dropped : DataFrame
        Visits not served, ``DROPPED_COLUMNS``; reason is one of unreachable,
        outside any shift, too far for the shift, no crew time left in the shift.
    """

    routes: pd.DataFrame
    legs: object
    crews: pd.DataFrame
    dropped: pd.DataFrame
    at: pd.Timestamp
    shift: str
    shift_start: pd.Timestamp
    shift_end: pd.Timestamp
    closed_zones: list = field(default_factory=list)
    duty_source: str = ""
    stats: dict = field(default_factory=dict)
    crs: str | None = None

    # ------------------------------------------------------------------ summaries
    @property
    def travel_s(self) -> float:
        return float(self.crews["travel_s"].sum()) if len(self.crews) else 0.0

    def route_geometries(self):
        """One row per crew: crew_id, name, color, stops, geometry (MultiLineString of its legs)."""
        import geopandas as gpd
        import shapely

        rows, geoms = [], []
        for c in self.crews.itertuples():
            legs = self.legs[self.legs["crew_id"] == c.crew_id]
            parts = [g for g in legs.geometry if g is not None and not g.is_empty]
            rows.append({"crew_id": c.crew_id, "name": c.name, "color": c.color, "stops": int(c.stops)})
            geoms.append(shapely.MultiLineString(parts) if parts else None)
        return gpd.GeoDataFrame(rows, geometry=geoms, crs=self.crs)

    def stops_geometry(self, points: dict):
        """Stops as points (``points``: site id → shapely Point) with crew colour and number."""
        import geopandas as gpd

        colors = dict(zip(self.crews["crew_id"], self.crews["color"]))
        r = self.routes
        return gpd.GeoDataFrame(
            {"crew_id": r["crew_id"], "seq": r["seq"], "site_id": r["site_id"], "color": r["crew_id"].map(colors)},
            geometry=[points.get(s) for s in r["site_id"]],
            crs=self.crs,
        )

    # ------------------------------------------------------------------ outputs
    def to_dict(self) -> dict:
        """The stable JSON shape: shift, crews with their stops, dropped visits, totals."""

        def ts(v):
            return None if v is None or pd.isna(v) else pd.Timestamp(v).isoformat(timespec="minutes")

        crews = []
        for c in self.crews.itertuples():
            stops = self.routes[self.routes["crew_id"] == c.crew_id]
            crews.append(
                {
                    "crew_id": c.crew_id,
                    "name": c.name,
                    "depot_id": c.depot_id,
                    "members": int(c.members),
                    "color": c.color,
                    "shift_start": ts(c.shift_start),
                    "shift_end": ts(c.shift_end),
                    "leave": ts(c.leave),
                    "back": ts(c.back),
                    "travel_s": round(float(c.travel_s)),
                    "distance_m": round(float(c.distance_m)),
                    "service_s": round(float(c.service_s)),
                    "stops": [
                        {
                            "seq": int(s.seq),
                            "site_id": s.site_id,
                            "kind": s.kind,
                            "name": s.name,
                            "address": s.address or "",
                            "eta": ts(s.eta),
                            "depart": ts(s.depart),
                            "travel_s": round(float(s.travel_s)),
                            "distance_m": round(float(s.distance_m)),
                            "zone_ids": list(s.zone_ids),
                            "priority": int(s.priority),
                        }
                        for s in stops.itertuples()
                    ],
                }
            )
        return {
            "at": ts(self.at),
            "shift": self.shift,
            "shift_start": ts(self.shift_start),
            "shift_end": ts(self.shift_end),
            "duty_source": self.duty_source,
            "closed_zones": list(self.closed_zones),
            "totals": {
                "crews": int(len(self.crews)),
                "crews_used": int((self.crews["stops"] > 0).sum()) if len(self.crews) else 0,
                "visits": int(len(self.routes)),
                "dropped": int(len(self.dropped)),
                "travel_s": round(self.travel_s),
                "distance_m": round(float(self.crews["distance_m"].sum())) if len(self.crews) else 0,
            },
            "crews": crews,
            "dropped": [
                {k: (None if pd.isna(v) else v) for k, v in r.items()} for r in self.dropped.to_dict("records")
            ],
            "stats": {k: v for k, v in self.stats.items() if k != "history"},
        }

    def to_geojson(self, path) -> Path:
        """Write the legs (crew colour, stop numbers) and the stops as a GeoJSON file in WGS84."""

        path = Path(path)
        legs = self.legs.copy()
        colors = dict(zip(self.crews["crew_id"], self.crews["color"]))
        legs["color"] = legs["crew_id"].map(colors)
        legs["feature"] = "leg"
        legs = legs[legs.geometry.notna()]
        if self.crs and len(legs):
            legs = legs.to_crs("EPSG:4326")
        doc = json.loads(legs.to_json(drop_id=True)) if len(legs) else {"type": "FeatureCollection", "features": []}
        doc["properties"] = {"shift": self.shift, "shift_start": str(self.shift_start), "at": str(self.at)}
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return path

    def write_route_sheets(self, folder) -> list[Path]:
        """One CSV route sheet per crew (UTF-8 with BOM so Excel shows Chinese).

        Rows: the depot departure, every stop in order (address, zone, ETA, leaving
        time, leg distance and time), the return to the depot.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        out = []
        for c in self.crews.itertuples():
            stops = self.routes[self.routes["crew_id"] == c.crew_id]
            back = self.legs[(self.legs["crew_id"] == c.crew_id) & (self.legs["to_id"] == c.depot_id)]
            p = folder / f"route_{_safe(c.crew_id)}.csv"
            with open(p, "w", newline="", encoding="utf-8-sig") as fh:
                w = _SafeWriter(csv.writer(fh))
                w.writerow(
                    [
                        f"{c.name} ({c.crew_id}), {int(c.members)} people",
                        f"shift {c.shift_start:%Y-%m-%d %H:%M} - {c.shift_end:%H:%M}",
                        f"depot {c.depot_name} ({c.depot_id})",
                    ]
                )
                w.writerow(["seq", "site_id", "kind", "name", "address", "zones", "eta", "depart", "leg_km", "leg_min"])
                w.writerow([0, c.depot_id, "depot", c.depot_name, "", "", "", _hm(c.leave), "", ""])
                for s in stops.itertuples():
                    w.writerow(
                        [
                            s.seq,
                            s.site_id,
                            s.kind,
                            s.name,
                            s.address or "",
                            ";".join(s.zone_ids),
                            _hm(s.eta),
                            _hm(s.depart),
                            f"{s.distance_m / 1000:.2f}",
                            f"{s.travel_s / 60:.0f}",
                        ]
                    )
                if len(back):
                    b = back.iloc[0]
                    w.writerow(
                        [
                            len(stops) + 1,
                            c.depot_id,
                            "depot",
                            c.depot_name,
                            "",
                            "",
                            _hm(c.back),
                            "",
                            f"{b.distance_m / 1000:.2f}",
                            f"{b.travel_s / 60:.0f}",
                        ]
                    )
                w.writerow([])
                w.writerow(
                    ["total", "", "", "", "", "", "", "", f"{c.distance_m / 1000:.2f}", f"{c.travel_s / 60:.0f}"]
                )
            out.append(p)
        return out


def _hm(t) -> str:
    return "" if t is None or pd.isna(t) else f"{pd.Timestamp(t):%m-%d %H:%M}"


def _safe(text) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(text))


def empty_routes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ROUTE_COLUMNS})


class _SafeWriter:
    """A csv writer whose text cells cannot run as spreadsheet formulas (names, addresses)."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        from heatgis.model.cells import safe_text

        self.writer.writerow([safe_text(v) for v in row])
