"""Which unit a column of heated areas or households is in: the header's word, else plausibility.

Planners' sheets give areas in m² or in 万㎡ (ten thousand m²), households one by
one or in 万户, and the header does not always say which (a DBF field ``面积万``,
a column ``面积``). :func:`decide_units` reads the unit word of the header when
there is one (it decides) and otherwise tries both readings against what a site
of the layer plausibly is (a station heats 20,000–300,000 m², not 20 m²). Every
decision is a note naming the column, the factor and why; a reading the values
contradict, or values that fit neither reading, get a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from heatgis.errors import Problem
from heatgis.io.mapping import FieldMapping, _numbers, header_unit
from heatgis.io.messages import word
from heatgis.model.vocab import WAN
from heatgis.text import Text


@dataclass(frozen=True)
class Plausible:
    """What one site of a layer plausibly holds, in the contract's unit.

    ``typical`` is said in the notes; ``lo``..``hi`` is what is believable at all.
    """

    typical: tuple[float, float]
    lo: float
    hi: float
    what: Text  # "station", "boiler room" ...


_STATION, _BOILER_ROOM = word("site_kind", "station"), word("site_kind", "boiler_room")
_COMPOUND = Text("compound", "小区")

#: (layer, field) → plausible values per feature (Hohhot practice: the reference case's 812
#: stations heat 10,000–430,000 m², boiler rooms serve whole compounds)
PLAUSIBLE: dict[tuple[str, str], Plausible] = {
    ("stations", "heated_area_m2"): Plausible((20_000, 300_000), 2_000, 1_500_000, _STATION),
    ("boiler_rooms", "heated_area_m2"): Plausible((30_000, 500_000), 2_000, 3_000_000, _BOILER_ROOM),
    ("stations", "households"): Plausible((150, 3_000), 10, 20_000, _STATION),
    ("boiler_rooms", "households"): Plausible((200, 5_000), 10, 40_000, _BOILER_ROOM),
    ("compounds", "households"): Plausible((100, 3_000), 5, 20_000, _COMPOUND),
}

_HOUSEHOLDS = Text("households", "户")
#: the two readings tried when the header names no unit: (factor, unit name, value unit)
READINGS = {
    "heated_area_m2": ((1.0, "m²", "m²"), (WAN, "万㎡", "m²")),
    "households": ((1.0, _HOUSEHOLDS, _HOUSEHOLDS), (WAN, "万户", _HOUSEHOLDS)),
}

CLEAR = 0.8  # share of values a reading must make plausible to be chosen ...
UNCLEAR = 0.2  # ... while the other reading makes at most this share plausible


def _share(values: np.ndarray, factor: float, p: Plausible) -> float:
    v = values * factor
    return float(np.mean((v >= p.lo) & (v <= p.hi)))


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}"


def decide_units(frame: pd.DataFrame, mapping: FieldMapping, file=None) -> tuple[FieldMapping, list[Problem]]:
    """Set the factor of heated-area and household columns; say why.

    Parameters
    ----------
    frame : DataFrame
        The source rows (source column names).
    mapping : FieldMapping
        The mapping to be applied; not modified.
    file : str, optional
        Named in the notes.

    Returns
    -------
    (FieldMapping, list of Problem)
        A copy of the mapping in which every rule this module decided carries
        its factor (so a saved mapping repeats the decision), and one note per
        decided column: info when the header (or the mapping) and the values
        agree, warning when plausibility chose, or the values contradict the
        header, or fit neither reading.
    """
    layer = mapping.layer
    fields = dict(mapping.fields)
    notes: list[Problem] = []
    for fname, readings in READINGS.items():
        p = PLAUSIBLE.get((layer, fname))
        rule = fields.get(fname)
        if p is None or rule is None or rule.source is None or rule.source not in frame.columns:
            continue
        num = _numbers(frame[rule.source]).to_numpy(dtype="float64")
        values = num[np.isfinite(num) & (num > 0)]
        if len(values) == 0:
            continue
        med = float(np.median(values))
        shares = {f: _share(values, f, p) for f, _, _ in readings}
        (f1, u1, vu), (f2, u2, _) = readings
        typical = Text(
            "a {what} typically has {lo}–{hi} {unit}",
            "一个{what}通常有 {lo}–{hi} {unit}",
            what=p.what,
            lo=_fmt(p.typical[0]),
            hi=_fmt(p.typical[1]),
            unit=vu,
        )

        def reading(f, u, p=p, med=med, vu=vu, shares=shares):
            return Text(
                "as {u} the median {what} has {med} {unit} ({share:.0%} of the values plausible)",
                "按 {u} 计，{what}的中位数为 {med} {unit}（{share:.0%} 的数值合理）",
                u=u,
                what=p.what,
                med=_fmt(med * f),
                unit=vu,
                share=shares[f],
            )

        src = rule.source
        where = dict(file=file, layer=layer, field=fname)
        if rule.factor is not None:
            stated = float(rule.factor)
            found = header_unit(fname, src)
            said = (
                Text("the header says {unit}", "列名注明 {unit}", unit=found[1])
                if found is not None and found[0] == stated
                else Text("the mapping says × {f:g}", "字段映射注明 × {f:g}", f=stated)
            )
            other = f2 if stated == f1 else f1
            other_u = u2 if stated == f1 else u1
            if stated in shares and shares[stated] < 0.5 and shares[other] >= CLEAR:
                notes.append(
                    Problem(
                        Text(
                            "'{src}' → {fname} × {f:g}: {said}, but then the median {what} has "
                            "{med} {unit} ({typical}); {other}. Kept × {f:g}",
                            "'{src}' → {fname} × {f:g}：{said}，但这样{what}的中位数为 "
                            "{med} {unit}（{typical}）；{other}。仍按 × {f:g}",
                            src=src,
                            fname=fname,
                            f=stated,
                            said=said,
                            what=p.what,
                            med=_fmt(med * stated),
                            unit=vu,
                            typical=typical,
                            other=reading(other, other_u),
                        ),
                        Text(
                            'check the column; if the header is wrong set "factor": {other:g} for {fname} in the '
                            "mapping (--save-mapping, edit, --mapping)",
                            '请核对该列；如果列名有误，请在字段映射中为 {fname} 设置 "factor": {other:g}'
                            "（--save-mapping，编辑后用 --mapping）",
                            other=other,
                            fname=fname,
                        ),
                        severity="warning",
                        **where,
                    )
                )
            else:
                notes.append(
                    Problem(
                        Text(
                            "'{src}' → {fname} × {f:g}: {said}; median {med} {unit} per {what}",
                            "'{src}' → {fname} × {f:g}：{said}；每个{what}的中位数为 {med} {unit}",
                            src=src,
                            fname=fname,
                            f=stated,
                            said=said,
                            med=_fmt(med * stated),
                            unit=vu,
                            what=p.what,
                        ),
                        "",
                        severity="info",
                        **where,
                    )
                )
            continue
        best, second = sorted(shares, key=lambda f: -shares[f])
        unit = {f1: u1, f2: u2}
        readings_said = dict(r1=reading(f1, u1), r2=reading(f2, u2), typical=typical)
        if shares[best] >= CLEAR and shares[second] <= UNCLEAR:
            fields[fname] = replace(rule, factor=best)
            if best == f1:
                notes.append(
                    Problem(
                        Text(
                            "'{src}' names no unit; taken as {u} (× 1): {r1}, {r2}; {typical}",
                            "'{src}' 未注明单位；按 {u}（× 1）读取：{r1}，{r2}；{typical}",
                            src=src,
                            u=u1,
                            **readings_said,
                        ),
                        Text(
                            'write the unit in the header, or set "factor" for {fname} in the mapping',
                            '请在列名中写明单位，或在字段映射中为 {fname} 设置 "factor"',
                            fname=fname,
                        ),
                        severity="info",
                        **where,
                    )
                )
            else:
                notes.append(
                    Problem(
                        Text(
                            "'{src}' names no unit; taken as {u} (× {f:g}): {r1}, {r2}; {typical}",
                            "'{src}' 未注明单位；按 {u}（× {f:g}）读取：{r1}，{r2}；{typical}",
                            src=src,
                            u=unit[best],
                            f=best,
                            **readings_said,
                        ),
                        Text(
                            'write the unit in the header, or set "factor": 1 for {fname} in the mapping '
                            "if the values really are {u}",
                            '请在列名中写明单位；如果数值确实以 {u} 计，请在字段映射中为 {fname} 设置 "factor": 1',
                            fname=fname,
                            u=u1,
                        ),
                        severity="warning",
                        **where,
                    )
                )
        else:
            notes.append(
                Problem(
                    Text(
                        "cannot tell the unit of '{src}' ({fname}): {r1}, {r2}; {typical}. "
                        "Taken as {u} (× 1); CHECK IT",
                        "无法判断 '{src}'（{fname}）的单位：{r1}，{r2}；{typical}。暂按 {u}（× 1）读取；请务必核对",
                        src=src,
                        fname=fname,
                        u=u1,
                        **readings_said,
                    ),
                    Text(
                        'write the unit in the header, or set "factor": 1 ({u1}) or {f2:g} ({u2}) for '
                        "{fname} in the mapping",
                        '请在列名中写明单位，或在字段映射中为 {fname} 设置 "factor": 1（{u1}）或 {f2:g}（{u2}）',
                        u1=u1,
                        f2=f2,
                        u2=u2,
                        fname=fname,
                    ),
                    severity="warning",
                    **where,
                )
            )
    out = FieldMapping(**{**mapping.__dict__, "fields": fields})
    return out, notes
