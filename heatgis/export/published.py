"""What each report told the meeting: the published figures, the data they came from, the files.

Every ``write_report`` makes one record (:func:`make_record`). It is kept in two places:

- the project's metadata, key ``published_reports`` (a JSON list, newest last): saved with the
  project, so "what did we report on the 25th" is answered from the project file itself
  (``heatgis published``, the app's File → Published reports);
- ``published.json`` beside the outputs (the same list for that folder): the record of a project
  that cannot be written, such as the read-only bundled demo.

The data version is the SHA-256 of the project file as read (``data.sha256``; for a project in
PostgreSQL the URL and the last audit row when read, ``data.database`` and ``data.audit_id``), the SHA-256 of the
lockdown zones as they were drawn when the report was made (``data.zones_sha256``: it differs from
the file's when the app had unsaved edits, ``data.unsaved``), and the files' own SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.export.files import WRITABLE_FIX
from heatgis.text import Text

META_KEY = "published_reports"
SIDECAR = "published.json"
#: records kept in the project's metadata (the oldest are dropped beyond this)
KEEP = 200


def sha256_file(path) -> str | None:
    """The file's SHA-256 (hex), or None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def zones_sha256(project) -> str:
    """A hash of the lockdown zones as they are in memory (ids, levels, times, outlines)."""
    h = hashlib.sha256()
    if project.has("lockdown_zones"):
        z = project.layer("lockdown_zones")
        cols = [c for c in ("zone_id", "name", "level", "start", "end") if c in z.columns]
        h.update(z[cols].astype(str).to_csv(index=False).encode())
        for g in z.geometry:
            h.update(b"" if g is None else g.wkb)
    return h.hexdigest()


def data_version(project, unsaved: bool = False) -> dict:
    """Where the figures came from: the project file (name, SHA-256 as on disk) and the zones' hash.

    A project in PostgreSQL has no file: its data version is the database's (``database``: the URL
    without password, ``audit_id``: the last audit row when the project was read,
    ``PgOrigin.data_version``), with the zones' hash of what was in memory.
    """
    from heatgis.model.store import is_database_project

    if is_database_project(project):
        origin = project.origin
        return {
            "file": None,
            "sha256": None,
            "database": origin.target.display,
            "audit_id": int(origin.data_version),
            "zones_sha256": zones_sha256(project),
            "unsaved": bool(unsaved),
        }
    path = getattr(project, "path", None)
    return {
        "file": Path(path).name if path else None,
        "sha256": sha256_file(path) if path else None,
        "zones_sha256": zones_sha256(project),
        "unsaved": bool(unsaved),
    }


def make_record(files, project, change=None, *, data=None, lang: str = "zh", published=None) -> dict:
    """The record of one report (``ReportFiles``): time, figures, change, plans' summary, data, files."""
    from heatgis.analysis.change import figures

    r = files.result
    rec = {
        "published": (published or pd.Timestamp.now()).isoformat(timespec="seconds"),
        "at": r.at.isoformat(timespec="minutes"),
        "scenario": r.scenario,
        "lang": lang,
        "figures": figures(r),
        "zones": sorted(str(z) for z in r.zones["zone_id"]),
        "data": data if data is not None else data_version(project),
        "out": str(Path(files.xlsx).parent),
        "files": {Path(f).name: sha256_file(f) for f in (files.pdf, files.png, files.xlsx, files.pptx)},
    }
    if change is not None:
        d = change.to_dict()
        rec["change"] = {k: d[k] for k in ("since", "basis", "delta")}
        rec["change"]["new_zones"] = [z["zone_id"] for z in d["new_zones"]]
        rec["change"]["lifted_zones"] = [z["zone_id"] for z in d["lifted_zones"]]
    if files.staffing is not None:
        st = files.staffing.totals
        rec["staffing"] = {k: int(st[k]) for k in ("places_needed", "places_filled", "left_to_crews", "unstaffed")}
    if getattr(files, "ops_plan", None) is not None:
        c = files.ops_plan.coverage()
        rec["crews"] = {k: c[k] for k in c if k != "per_shift"}
    if getattr(files, "decisions", None):
        rec["decisions"] = list(files.decisions)
    return rec


def project_records(project) -> list[dict]:
    """The records kept in the project's metadata (oldest first); a damaged value reads as none."""
    text = (project.meta or {}).get(META_KEY) or ""
    try:
        out = json.loads(text) if text else []
    except ValueError:
        return []
    return [r for r in out if isinstance(r, dict)] if isinstance(out, list) else []


def with_record(project, record: dict) -> str:
    """The metadata value with ``record`` appended (for ``SetMeta`` or a direct save)."""
    recs = project_records(project) + [record]
    return json.dumps(recs[-KEEP:], ensure_ascii=False, separators=(",", ":"))


def folder_records(folder) -> list[dict]:
    """The records in ``folder/published.json`` (none when missing or unreadable)."""
    p = Path(folder) / SIDECAR
    try:
        out = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [r for r in out if isinstance(r, dict)] if isinstance(out, list) else []


def write_sidecar(folder, record: dict) -> Path:
    """Append ``record`` to ``folder/published.json`` (written beside and moved into place)."""
    p = Path(folder) / SIDECAR
    recs = folder_records(folder) + [record]
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_text(json.dumps(recs, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(p)
    except OSError as exc:
        raise HeatGISError(
            Text(
                "the record of the report could not be written ({err})",
                "报告的发布记录无法写入（{err}）",
                err=exc.strerror,
            ),
            WRITABLE_FIX,
            file=p,
        ) from exc
    return p


def last_record(project, folder=None, before=None) -> dict | None:
    """The latest published record (project and folder together) whose data time is before ``before``."""
    recs = project_records(project) + (folder_records(folder) if folder is not None else [])
    if before is not None:
        before = pd.Timestamp(before)
        recs = [r for r in recs if pd.Timestamp(r.get("at")) < before]
    if not recs:
        return None
    return max(recs, key=lambda r: (str(r.get("at")), str(r.get("published"))))


def records_on(recs: list[dict], day=None) -> list[dict]:
    """The records published on ``day`` (a date or a time; by the day of publication or of the data)."""
    if day is None:
        return list(recs)
    d = pd.Timestamp(day).normalize()
    return [
        r
        for r in recs
        if pd.Timestamp(r.get("published")).normalize() == d or pd.Timestamp(r.get("at")).normalize() == d
    ]


def record_lines(rec: dict, lang: str = "en") -> list[str]:
    """A record as a few lines of text (``heatgis published``, the app's list), in ``lang``."""
    from heatgis.analysis.change import signed
    from heatgis.model.vocab import fmt_wan

    zh = lang == "zh"
    f = rec.get("figures", {})
    data = rec.get("data", {})
    pub = str(rec.get("published", ""))[:16].replace("T", " ")
    at = str(rec.get("at", "")).replace("T", " ")
    area, hh = fmt_wan(f.get("heated_area_m2", 0)), fmt_wan(f.get("households", 0))
    lines = [
        f"{pub}  数据时间 {at}  → {rec.get('out', '')}" if zh else f"{pub}  data time {at}  -> {rec.get('out', '')}",
        f"  锁闭换热站 {f.get('stations', 0)} 座、锅炉房 {f.get('boiler_rooms', 0)} 座，{area} 万㎡，{hh} 万户，"
        f"居家员工 {f.get('staff_locked_in', 0)} 人，生效管控区 {f.get('zones_active', 0)} 个"
        if zh
        else f"  {f.get('stations', 0)} stations, {f.get('boiler_rooms', 0)} boiler rooms, {area} 10k m², "
        f"{hh} 10k households, "
        f"{f.get('staff_locked_in', 0)} staff locked in, {f.get('zones_active', 0)} zones active",
    ]
    ch = rec.get("change")
    if ch:
        d = ch.get("delta", {})
        since = str(ch.get("since", "")).replace("T", " ")
        s_, a_, h_ = (
            signed(d.get("sites", 0)),
            signed(d.get("heated_area_m2", 0), "wan"),
            signed(d.get("households", 0), "wan"),
        )
        n_new, n_lift = len(ch.get("new_zones", [])), len(ch.get("lifted_zones", []))
        lines.append(
            f"  较 {since}：锁闭站点 {s_}，万㎡ {a_}，万户 {h_}；新增管控区 {n_new} 个，解除 {n_lift} 个"
            if zh
            else f"  since {since}: sites {s_}, 10k m² {a_}, 10k households {h_}; new zones {n_new}, lifted {n_lift}"
        )
    sha = (data.get("sha256") or "")[:12] or "-"
    zsha = (data.get("zones_sha256") or "")[:12]
    unsaved = (" （含未保存的修改）" if zh else " (unsaved edits)") if data.get("unsaved") else ""
    if data.get("database"):
        db, audit = data["database"], data.get("audit_id")
        lines.append(
            f"  数据 {db} 审计版本 {audit} 管控区 {zsha}{unsaved}"
            if zh
            else f"  data {db} audit version {audit} zones {zsha}{unsaved}"
        )
        return lines
    lines.append(
        f"  数据 {data.get('file') or '-'} sha256 {sha} 管控区 {zsha}{unsaved}"
        if zh
        else f"  data {data.get('file') or '-'} sha256 {sha} zones {zsha}{unsaved}"
    )
    return lines
