"""Find a feature by what the planner types: a name, an id, pinyin initials or full pinyin, an address.

``SearchIndex.from_project(project)`` indexes the compounds, lockdown zones, stations,
boiler rooms, heat sources, depots, staff and districts of a project;
``index.search("hry")`` returns the best hits first (华润苑 for "hry" or "huarunyuan",
ST-0025 for "st-0025" or "0025", a station by its street address).

Pinyin comes from ``pypinyin``'s character table (MIT; its dictionaries ship inside
the wheel, so it works offline, and its PyInstaller hook bundles them). Every
reading of a polyphonic character is indexed, the common one first, so "cq" and
"zq" both find 重庆路 (the common reading ranks first). Without pypinyin the index
still finds names, ids and addresses. The demo's ~6,000 features index in ~0.2 s.

Qt-free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

#: layer: (id field, name field, extra text fields); the order breaks ties between layers
LAYERS = {
    "compounds": ("compound_id", "name", ("district",)),
    "lockdown_zones": ("zone_id", "name", ("level",)),
    "stations": ("station_id", "name", ("address",)),
    "boiler_rooms": ("asset_id", "name", ()),
    "heat_sources": ("source_id", "name", ()),
    "depots": ("depot_id", "name", ("district",)),
    "staff": ("staff_id", "name", ("role",)),
    "districts": ("adcode", "name", ()),
}
KIND_LABELS = {
    "compounds": ("小区", "compound"),
    "lockdown_zones": ("管控区", "zone"),
    "stations": ("换热站", "station"),
    "boiler_rooms": ("锅炉房", "boiler room"),
    "heat_sources": ("热源", "heat source"),
    "depots": ("运营所", "depot"),
    "staff": ("员工", "staff"),
    "districts": ("行政区", "district"),
}
_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"[\s\-_·.]+")


def _norm(text: str) -> str:
    """Lower case, without spaces, dashes, dots (so "st 0025", "ST-0025" and "st0025" agree)."""
    return _SPACE.sub("", str(text).lower())


_RAW: dict | None = None
_READINGS: dict = {}


def _readings(cp: int) -> tuple[str, ...]:
    """The toneless readings of one character (codepoint), most common first; () if unknown.

    From pypinyin's character table, read from its ``pinyin_dict.json`` without importing the
    package (its phrase dictionary costs ~1 s to load and is not needed for names).
    """
    global _RAW
    if _RAW is None:
        _RAW = _load_table()
    r = _READINGS.get(cp)
    if r is None:
        import unicodedata

        def plain(x: str) -> str:
            return "".join(c for c in unicodedata.normalize("NFKD", x) if c.isascii() and c.isalpha())

        r = _READINGS[cp] = tuple(dict.fromkeys(p for p in (plain(x) for x in _RAW.get(cp, "").split(",")) if p))
    return r


def _load_table() -> dict:
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.json"
    try:
        return {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        try:
            from pypinyin.pinyin_dict import pinyin_dict
        except ImportError:  # pragma: no cover - pypinyin is a dependency
            return {}
        return dict(pinyin_dict)


def pinyin_keys(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(full pinyin variants, initials variants) of a name, the common readings first; ((), ()) without Chinese.

    Every character's readings are indexed (up to 16 combinations), so a polyphonic character
    finds either way: 重庆路 -> initials ("zql", "cql", ...), full ("zhongqinglu", "chongqinglu", ...).
    ü is typed as v or u (吕 -> "lv", "lu"); letters and digits in a name are kept.

    >>> pinyin_keys("华润苑")[1][0]
    'hry'
    """
    if not _HAN.search(text or ""):
        return (), ()
    full, first = [""], [""]
    for ch in str(text):
        reads = _readings(ord(ch)) if _HAN.match(ch) else None
        if not reads:
            t = _norm(ch)
            full, first = [f + t for f in full], [f + t for f in first]
            continue
        opts = list(dict.fromkeys(reads + tuple(r.replace("u", "v") for r in reads if ch in _UMLAUT)))
        full = [f + o for f in full for o in opts][:16]
        first = list(dict.fromkeys(f + o[0] for f in first for o in opts))[:16]
    return tuple(full), tuple(first)


_UMLAUT = set("吕旅铝屡缕履虑律率绿氯滤驴闾榈女钕绿略掠虐疟")


@dataclass(frozen=True)
class Hit:
    """One search result.

    Attributes
    ----------
    layer : str
    row : int
        Position in the layer's frame.
    id, name, detail : str
        The feature's id, its name, and a line of context (address, district, role).
    score : float
        Lower is better.
    """

    layer: str
    row: int
    id: str
    name: str
    detail: str
    score: float

    def kind(self, lang: str = "zh") -> str:
        return KIND_LABELS.get(self.layer, (self.layer, self.layer))[0 if lang == "zh" else 1]

    def label(self, lang: str = "zh") -> str:
        """What the search box lists: "华润苑 · 小区 C-0123 · 新城区"."""
        parts = [self.name or self.id, f"{self.kind(lang)} {self.id}".strip()]
        if self.detail:
            parts.append(self.detail)
        return " · ".join(parts)


class SearchIndex:
    """Names, ids, pinyin and addresses of the features of a project.

    Parameters
    ----------
    entries : list of dict
        layer, row, id, name, detail (plain strings); ``from_project`` builds them.
    """

    def __init__(self, entries: list[dict]):
        self.entries = entries
        self.layer = [e["layer"] for e in entries]
        self.rank = np.array(
            [list(LAYERS).index(e["layer"]) if e["layer"] in LAYERS else len(LAYERS) for e in entries], float
        )
        self.ids = [_norm(e["id"]) for e in entries]
        self.names = [_norm(e["name"]) for e in entries]
        self.details = [_norm(e["detail"]) for e in entries]
        keys = [pinyin_keys(e["name"]) for e in entries]
        self.full = [k[0] for k in keys]
        self.initials = [k[1] for k in keys]
        # every variant between separators: "\x01zql\x01cql\x01" answers "is q one of them / a prefix of one"
        self.iblob = ["\x01" + "\x01".join(k[1]) + "\x01" for k in keys]
        self.fblob = ["\x01" + "\x01".join(k[0]) + "\x01" for k in keys]

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def from_project(cls, project, layers=None) -> SearchIndex:
        """Index the layers of ``project`` (default: every layer of ``LAYERS`` it has)."""
        entries = []
        for layer, (id_f, name_f, extra) in LAYERS.items():
            if (layers is not None and layer not in layers) or not project.has(layer):
                continue
            f = project.layer(layer)
            if not len(f):
                continue
            n = len(f)
            ids = f[id_f].astype(str).to_numpy() if id_f in f.columns else np.full(n, "")
            names = f[name_f].fillna("").astype(str).to_numpy() if name_f in f.columns else ids
            details = (
                [
                    " ".join(p for p in parts if p and p != "nan")
                    for parts in zip(*[f[c].fillna("").astype(str).to_numpy() for c in extra if c in f.columns])
                ]
                if any(c in f.columns for c in extra)
                else [""] * n
            )
            for row in range(n):
                entries.append({"layer": layer, "row": row, "id": ids[row], "name": names[row], "detail": details[row]})
        return cls(entries)

    def search(self, text: str, limit: int = 20, layers=None) -> list[Hit]:
        """The best hits for ``text``, best first (at most ``limit``).

        Scores (lower is better): id equal 0, name equal 1, name starts with it 2,
        pinyin initials equal 2.5 / start with it 2.7 (by another reading of a character: 2.9 / 3.2),
        full pinyin starts with it 3.5 (3.7),
        name contains it 4, id contains it 5, pinyin contains it 6, detail (address,
        district) contains it 7; shorter names first within a score, then layers in
        ``LAYERS`` order.
        """
        q = _norm(text)
        if not q:
            return []
        ascii_q = q.isascii()
        scored = []
        for i in range(len(self.entries)):
            if layers is not None and self.layer[i] not in layers:
                continue
            s = self._score(i, q, ascii_q)
            if s is not None:
                scored.append((s + 0.001 * min(len(self.names[i]), 99) + 0.0001 * self.rank[i], i))
        scored.sort()
        out = []
        for s, i in scored[:limit]:
            e = self.entries[i]
            out.append(Hit(e["layer"], int(e["row"]), e["id"], e["name"], e["detail"], round(s, 4)))
        return out

    def _score(self, i: int, q: str, ascii_q: bool) -> float | None:
        idn, name = self.ids[i], self.names[i]
        if idn == q:
            return 0.0
        if name == q:
            return 1.0
        if name.startswith(q):
            return 2.0
        inits, full = self.initials[i], self.full[i]
        if ascii_q and inits:  # the common reading first, then the other readings
            ib, fb, sq = self.iblob[i], self.fblob[i], "\x01" + q
            if inits[0] == q:
                return 2.5
            if inits[0].startswith(q):
                return 2.7
            if sq + "\x01" in ib:
                return 2.9
            if sq in ib:
                return 3.2
            if len(q) >= 2 and full[0].startswith(q):
                return 3.5
            if len(q) >= 2 and sq in fb:
                return 3.7
        if q in name:
            return 4.0
        if q in idn:
            return 5.0
        if ascii_q and len(q) >= 3 and inits and (q in self.fblob[i] or q in self.iblob[i]):
            return 6.0
        if len(q) >= 2 and q in self.details[i]:
            return 7.0
        return None
