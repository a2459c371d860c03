"""The staffing plan's data: column lists, ``StaffingPlan`` and the override tuples.

The bottom of the staffing package: ``report``, ``overrides`` and ``problem`` import it,
it imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.text import Text

if TYPE_CHECKING:
    from heatgis.analysis.staffing.rules import StaffingRules

SAME_COMPOUND_BONUS = 10**6  # metres: living in the site's compound beats any walk inside a zone
ON_CALL = "on_call"

ASSIGNMENT_COLUMNS = [
    "staff_id",
    "name",
    "phone",
    "role",
    "depot_id",
    "site_kind",
    "site_id",
    "site_name",
    "zone_id",
    "shift",
    "distance_m",
    "same_compound",
    "pinned",
]
SITE_COLUMNS = [
    "site_kind",
    "site_id",
    "name",
    "zone_ids",
    "role",
    "needed",
    "assigned",
    "pinned",
    "short",
    "shifts",
    "shifts_covered",
    "status",
    "reason",
    "x",
    "y",
    "heated_area_m2",
    "households",
    "depot_id",
    "district",
]
DUTY_COLUMNS = [
    "priority",
    "site_kind",
    "site_id",
    "name",
    "kind",
    "x",
    "y",
    "zone_ids",
    "needed",
    "assigned",
    "short",
    "reason",
    "heated_area_m2",
    "households",
    "depot_id",
    "district",
]
ON_CALL_COLUMNS = ["zone_id", "zone_name", "role", "needed", "assigned", "short", "reason"]
STAFF_COLUMNS = ["staff_id", "name", "role", "skills", "depot_id", "phone", "assigned_site", "x", "y"]


@dataclass
class StaffingPlan:
    """A staffing plan for one moment.

    Attributes
    ----------
    at : Timestamp
    assignments : DataFrame
        ``ASSIGNMENT_COLUMNS``; on-call places have ``site_kind == "on_call"`` and the
        zone id as ``site_id``.
    sites : DataFrame
        One row per locked site (``SITE_COLUMNS``), ``status`` staffed / partial / unstaffed.
    duty_list : DataFrame
        The sites left to the crews (every locked site not fully staffed), ``DUTY_COLUMNS``;
        priority 1 = nobody inside, 2 = partly staffed; then by households.
    on_call : DataFrame
        The zones' shared on-call places (``ON_CALL_COLUMNS``).
    locked_in_staff : DataFrame
        Staff locked in at home, sorted by zone, depot, role; with the place given to them.
    free_staff : DataFrame
        Staff free to work (home outside every active locking zone).
    """

    at: pd.Timestamp
    rules: StaffingRules
    assignments: pd.DataFrame
    sites: pd.DataFrame
    duty_list: pd.DataFrame
    on_call: pd.DataFrame
    locked_in_staff: pd.DataFrame
    free_staff: pd.DataFrame
    pins: tuple = ()
    removals: tuple = ()
    solver: dict = field(default_factory=dict)
    scenario: str = ""
    notes: list = field(default_factory=list)  # Problems: saved overrides left out of this solve

    @property
    def totals(self) -> dict:
        s = self.sites
        full = int((s["status"] == "staffed").sum())
        return {
            "locked_sites": int(len(s)),
            "stations": int((s["site_kind"] == "station").sum()),
            "boiler_rooms": int((s["site_kind"] == "boiler_room").sum()),
            "fully_staffed": full,
            "partly_staffed": int((s["status"] == "partial").sum()),
            "unstaffed": int((s["status"] == "unstaffed").sum()),
            "left_to_crews": int(len(self.duty_list)),
            "places_needed": int(s["needed"].sum()),
            "places_filled": int(s["assigned"].sum()),
            "on_call_needed": int(self.on_call["needed"].sum()),
            "on_call_filled": int(self.on_call["assigned"].sum()),
            "staff_locked_in": int(len(self.locked_in_staff)),
            "staff_assigned": int(len(self.assignments)),
            "staff_free": int(len(self.free_staff)),
        }

    def locked_in_by(self, by=("zone_id", "depot_id", "role")) -> pd.DataFrame:
        """Counts of staff locked in, grouped (default by zone, depot and role)."""
        by = [by] if isinstance(by, str) else list(by)
        f = self.locked_in_staff
        if f.empty:
            return pd.DataFrame(columns=by + ["staff", "assigned"])
        g = f.assign(staff=1, assigned=f["assigned_to"].ne("")).groupby(by, sort=True)
        return g[["staff", "assigned"]].sum().reset_index().astype({"staff": int, "assigned": int})

    def to_dict(self) -> dict:
        """The stable JSON shape (keys never removed; new keys may be added)."""
        from heatgis.analysis.impact import _records

        return {
            "at": self.at.isoformat(timespec="minutes"),
            "scenario": self.scenario,
            "rules": self.rules.to_dict(),
            "totals": self.totals,
            "solver": self.solver,
            "pins": [list(p) for p in self.pins],
            "removals": [list(r) for r in self.removals],
            "override_notes": [str(n) for n in self.notes],
            "sites": _records(self.sites),
            "assignments": _records(self.assignments),
            "on_call": _records(self.on_call),
            "duty_list": _records(self.duty_list),
            "locked_in_by_zone": _records(self.locked_in_by("zone_id")),
            "locked_in_by_depot": _records(self.locked_in_by("depot_id")),
            "locked_in_by_role": _records(self.locked_in_by("role")),
            "free_by_role": _records(
                self.free_staff.groupby("role").size().rename("staff").reset_index()
                if len(self.free_staff)
                else pd.DataFrame(columns=["role", "staff"])
            ),
        }

    def table(self) -> pd.DataFrame:
        """The assignments as the exported table: bilingual headers, sorted by site and shift."""
        a = self.assignments.sort_values(["site_kind", "site_id", "shift", "staff_id"])
        cols = {
            "site_kind": "类型 kind",
            "site_id": "站点编号 site",
            "site_name": "站点名称 site name",
            "zone_id": "管控区 zone",
            "shift": "班次 shift",
            "staff_id": "员工编号 staff",
            "name": "姓名 name",
            "phone": "电话 phone",
            "role": "岗位 role",
            "depot_id": "运营所 depot",
            "distance_m": "步行距离m walk m",
            "same_compound": "同小区 same compound",
            "pinned": "人工指定 pinned",
        }
        out = a[list(cols)].rename(columns=cols)
        out[cols["distance_m"]] = out[cols["distance_m"]].round(0).astype(int)
        return out.reset_index(drop=True)

    def to_csv(self, path) -> None:
        """Write the assignment table as UTF-8 CSV with a BOM (Excel opens Chinese correctly)."""
        try:
            from heatgis.model.cells import safe_frame

            safe_frame(self.table()).to_csv(path, index=False, encoding="utf-8-sig")
        except OSError as exc:
            raise HeatGISError(
                Text("the plan cannot be written ({err})", "驻守安排无法写入（{err}）", err=exc.strerror),
                Text(
                    "choose a folder you can write to, and close the file if Excel has it open",
                    "选择可写入的文件夹；如果 Excel 打开着该文件，请先关闭",
                ),
                file=path,
            ) from exc


def pin_tuple(p):
    if isinstance(p, dict):
        p = (p.get("staff_id"), p.get("site_id"), p.get("shift"))
    p = tuple(p)
    if len(p) not in (2, 3) or not p[0] or not p[1]:
        raise HeatGISError(
            Text(
                "the pin {p!r} is not (staff_id, site_id[, shift])",
                "人工指定 {p!r} 不是 (staff_id, site_id[, shift]) 的形式",
                p=p,
            ),
            Text(
                "pin one person to one site, e.g. ('E-0203', 'ST-0355', '08:00-16:00')",
                "把一个人指定到一个站点，例如 ('E-0203', 'ST-0355', '08:00-16:00')",
            ),
        )
    return str(p[0]), str(p[1]), (None if len(p) == 2 or not p[2] else str(p[2]))


def removal_tuple(r):
    if isinstance(r, dict):
        r = (r.get("staff_id"), r.get("site_id"))
    if isinstance(r, str):
        r = (r, None)
    r = tuple(r)
    if len(r) != 2 or not r[0]:
        raise HeatGISError(
            Text(
                "the removal {r!r} is not (staff_id, site_id or None)",
                "人工移除 {r!r} 不是 (staff_id, site_id 或 None) 的形式",
                r=r,
            ),
            Text(
                "remove one person from one site, e.g. ('E-0203', 'ST-0355')",
                "把一个人从一个站点移除，例如 ('E-0203', 'ST-0355')",
            ),
        )
    return str(r[0]), (None if r[1] is None else str(r[1]))
