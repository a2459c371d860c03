"""Turn a solved staffing assignment into the plan's tables: shifts, reasons, duty list.

Shifts: a site's people are dealt round the clock - the least-covered shift takes
the next person (pinned people keep the shift they were pinned to; then people of
the same compound, then the nearest) - so four boiler operators for 3 shifts x 2
cover all three shifts before doubling one.

Reasons (why a site is short), first that applies, plus the shifts left open:
"no locked-in staff in its zone(s) Z", "no one with the skill R in zone(s) Z",
"the N R(s) in zone(s) Z live farther than M m", "only N R(s) locked in zone(s) Z
for K places", "the R(s) of zone(s) Z are needed at other sites"; "k removed by
hand"; "only 2 of 3 shifts covered".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatgis.analysis.staffing.plan import (
    ASSIGNMENT_COLUMNS,
    DUTY_COLUMNS,
    ON_CALL,
    ON_CALL_COLUMNS,
    SITE_COLUMNS,
    StaffingPlan,
)
from heatgis.errors import HeatGISError
from heatgis.text import Text

ON_CALL_SHIFT = "on call 24h"


def build_plan(pb, chosen, pinned, pin_shift, removed_at, pins, removals, solver) -> StaffingPlan:
    n_sites = len(pb.sites)
    people = pb.people
    a = pd.DataFrame(
        {
            "edge": chosen,
            "p": pb.ep[chosen],
            "d": pb.ed[chosen],
            "zone_id": pb.ezone[chosen],
            "distance_m": pb.edist[chosen],
            "same_compound": pb.esame[chosen],
            "pinned": np.isin(chosen, list(pinned)),
        }
    )
    a["shift"] = _deal_shifts(pb, a, pin_shift)
    site = a["d"] < n_sites
    sd = a["d"].where(site, 0).astype(int)
    cd = (a["d"] - n_sites).where(~site, 0).astype(int)
    a["site_kind"] = np.where(site, pb.sites["site_kind"].to_numpy()[sd], ON_CALL)
    call_zone = [pb.calls[k][0] if not s else "" for k, s in zip(cd, site)]
    a["site_id"] = np.where(site, pb.sites["site_id"].to_numpy()[sd], call_zone)
    a["site_name"] = np.where(
        site, pb.sites["name"].to_numpy()[sd], [f"{pb.zone_names.get(z, z)} 值守 on call" for z in call_zone]
    )
    for c in ["staff_id", "name", "phone", "role", "depot_id"]:
        a[c] = people[c].to_numpy()[a["p"].to_numpy()] if len(a) else []
    a["distance_m"] = a["distance_m"].round(1)
    assignments = a.sort_values(["site_kind", "site_id", "shift", "staff_id"])[ASSIGNMENT_COLUMNS].reset_index(
        drop=True
    )

    filled = np.bincount(a["d"].to_numpy(np.intp), minlength=pb.n_demands)
    n_pinned = np.bincount(a.loc[a["pinned"], "d"].to_numpy(np.intp), minlength=pb.n_demands)
    sites = _site_table(pb, a, filled, n_pinned, removed_at)
    duty = sites[sites["short"] > 0].copy()
    duty["priority"] = np.where(duty["assigned"] == 0, 1, 2)
    duty["kind"] = duty["site_kind"]
    duty = duty.sort_values(["priority", "households", "site_id"], ascending=[True, False, True])
    duty = duty[DUTY_COLUMNS].reset_index(drop=True)
    on_call = _on_call_table(pb, filled, removed_at)

    lk = people.copy()
    where = dict(zip(a["p"], zip(a["site_id"], a["shift"])))
    lk["zone_id"] = [z[0] if z else "" for z in lk["zone_ids"]]
    lk["assigned_to"] = [where.get(i, ("", ""))[0] for i in range(len(lk))]
    lk["shift"] = [where.get(i, ("", ""))[1] for i in range(len(lk))]
    lk = lk.drop(columns=["x", "y"]).assign(x=people["x"], y=people["y"])
    lk = lk.sort_values(["zone_id", "depot_id", "role", "staff_id"]).reset_index(drop=True)
    return StaffingPlan(
        at=pb.at,
        rules=pb.rules,
        assignments=assignments,
        sites=sites,
        duty_list=duty,
        on_call=on_call,
        locked_in_staff=lk,
        free_staff=pb.free,
        pins=pins,
        removals=removals,
        solver=solver,
        scenario=pb.scenario,
    )


def _deal_shifts(pb, a, pin_shift) -> list[str]:
    """The shift of each chosen edge (rows of ``a``): pins first, then round the clock."""
    n_sites = len(pb.sites)
    out = [ON_CALL_SHIFT] * len(a)
    if not len(a):
        return out
    d = a["d"].to_numpy()
    edge = a["edge"].to_numpy()
    staff = pb.people["staff_id"].to_numpy()[a["p"].to_numpy()]
    order = np.lexsort((staff, a["distance_m"].to_numpy(), ~a["same_compound"].to_numpy(), ~a["pinned"].to_numpy(), d))
    kinds = pb.sites["site_kind"].to_numpy()
    ids = pb.sites["site_id"].to_numpy()
    count: dict[int, dict] = {}
    for k in order.tolist():  # the pinned shifts first
        sh = pin_shift.get(int(edge[k]))
        if sh is None or d[k] >= n_sites:
            continue
        names, cap = pb.rules.shift_names(kinds[d[k]]), pb.rules.rule(kinds[d[k]]).per_shift
        c = count.setdefault(int(d[k]), {n: 0 for n in names})
        if sh not in c:
            raise HeatGISError(
                Text(
                    "the pin to '{site}' names the shift '{sh}'",
                    "指定到 '{site}' 的班次 '{sh}' 不是它的班次",
                    site=ids[d[k]],
                    sh=sh,
                ),
                Text("use one of its shifts: {names}", "使用它的班次之一：{names}", names=", ".join(names)),
                row=ids[d[k]],
            )
        if c[sh] >= cap:
            raise HeatGISError(
                Text(
                    "shift {sh} of '{site}' has more pins than its {cap} place(s)",
                    "'{site}' 的 {sh} 班次指定的人数超过了它的 {cap} 个岗位",
                    sh=sh,
                    site=ids[d[k]],
                    cap=cap,
                ),
                Text("pin to another shift", "指定到其他班次"),
                row=ids[d[k]],
            )
        c[sh] += 1
        out[k] = sh
    for k in order.tolist():
        if d[k] >= n_sites or pin_shift.get(int(edge[k])) is not None:
            continue
        names = pb.rules.shift_names(kinds[d[k]])
        c = count.setdefault(int(d[k]), {n: 0 for n in names})
        sh = min(names, key=lambda n: (c[n], names.index(n)))
        c[sh] += 1
        out[k] = sh
    return out


def _zones_text(zs) -> str:
    return ", ".join(zs) if zs else "-"


def _site_table(pb, a, filled, n_pinned, removed_at) -> pd.DataFrame:
    s = pb.sites
    n = len(s)
    rows = []
    shift_sets = a[a["d"] < n].groupby("d")["shift"].nunique().to_dict() if len(a) else {}
    kinds, ids, names, zone_ids = (s[c].tolist() for c in ("site_kind", "site_id", "name", "zone_ids"))
    xs, ys, area, hh, depot, district = (
        s[c].tolist() for c in ("x", "y", "heated_area_m2", "households", "depot_id", "district")
    )
    for i in range(n):
        kind = kinds[i]
        rule = pb.rules.rule(kind)
        need, got = int(pb.site_need[i]), int(filled[i])
        covered = int(shift_sets.get(i, 0))
        short = max(need - got, 0)
        reason = ""
        if short:
            role, zs = pb.site_role[i], _zones_text(zone_ids[i])
            q = int(pb.inside_qualified[i])
            if pb.inside_any[i] == 0:
                parts = [f"no locked-in staff in its zone(s) {zs}"]
            elif q == 0:
                parts = [f"no one with the skill {role} in zone(s) {zs}"]
            elif pb.within_walk[i] == 0:
                parts = [f"the {q} {role}(s) in zone(s) {zs} live farther than {pb.rules.max_walk_m:g} m"]
            elif q < need:
                parts = [f"only {q} {role}(s) locked in zone(s) {zs} for {need} places"]
            else:
                parts = [f"the {role}(s) of zone(s) {zs} are needed at other sites"]
            if removed_at[i]:
                parts.append(f"{int(removed_at[i])} removed by hand")
            if covered < rule.shifts:
                parts.append(f"only {covered} of {rule.shifts} shifts covered")
            else:
                parts.append(f"all {rule.shifts} shifts covered, {short} short of {need}")
            reason = "; ".join(parts)
        status = "staffed" if short == 0 else ("unstaffed" if got == 0 else "partial")
        rows.append(
            (
                kind,
                ids[i],
                names[i],
                list(zone_ids[i]),
                pb.site_role[i],
                need,
                got,
                int(n_pinned[i]),
                short,
                rule.shifts,
                covered,
                status,
                reason,
                float(xs[i]),
                float(ys[i]),
                float(area[i]),
                int(hh[i]),
                depot[i],
                district[i],
            )
        )
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def _on_call_table(pb, filled, removed_at) -> pd.DataFrame:
    n = len(pb.sites)
    rows = []
    for k, (z, role, need) in enumerate(pb.calls):
        got = int(filled[n + k])
        short = max(need - got, 0)
        reason = ""
        if short:
            q = int(pb.call_qualified[k])
            reason = (
                f"no {role} locked in zone {z}"
                if q == 0
                else f"the {q} {role}(s) of zone {z} run sites"
                if q >= need
                else f"only {q} {role}(s) locked in zone {z}"
            )
            if removed_at[n + k]:
                reason += f"; {int(removed_at[n + k])} removed by hand"
        rows.append((z, pb.zone_names.get(z, ""), role, need, got, short, reason))
    return pd.DataFrame(rows, columns=ON_CALL_COLUMNS)
