"""Lockdown notice → zones: split the announcement into compound names, match, build zones.

A notice (呼和浩特市新冠肺炎疫情防控指挥部通告) lists sealed compounds as text:
"将以下区域划定为封控区：新城区：青城花园、电力小区……". ``parse_notice`` finds the
names (section levels 封控区/管控区/防范区 and district headers kept), the date
("自2022年2月25日8时起") and the title; ``match_names`` matches each name against
the compounds layer — exact, then suffix variants (a missing 小区, 花园 for 家园),
then fuzzy (rapidfuzz) — and says which ones a planner must confirm;
``zones_from_matches`` makes one zone per matched compound from its polygon
(buffered 3 m so sites on the fence count), starting at the notice's date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from heatgis.errors import HeatGISError
from heatgis.io.messages import CHECK_PATH
from heatgis.model.vocab import ZONE_LEVEL_WORDS
from heatgis.text import Text

SUFFIXES = sorted(
    [
        "小区",
        "花园",
        "家园",
        "嘉园",
        "新村",
        "公寓",
        "苑",
        "院",
        "园",
        "湾",
        "城",
        "名邸",
        "雅居",
        "佳苑",
        "华府",
        "府",
        "里",
        "社区",
        "家属院",
        "家属楼",
        "宿舍",
        "大院",
        "村",
    ],
    key=len,
    reverse=True,
)
_YUAN = ("园", "苑")  # 花园/家园/嘉园/园, 苑/佳苑: suffixes that people swap
_PHASE = re.compile(r"(?:[一二三四五六七八九十\d]+期|[东西南北中]区|[东西南北]院|\d+号院)$")
_LEVEL_WORDS = tuple((w, lv) for w, lv in ZONE_LEVEL_WORDS.items() if w.endswith("区"))  # section headings
_STOP = (
    "通告",
    "根据",
    "决定",
    "实行",
    "防控",
    "指挥部",
    "特此",
    "期间",
    "足不出户",
    "服务上门",
    "要求",
    "落实",
    "以下",
    "划定",
    "传染病",
    "新冠",
    "疫情",
    "核酸",
    "检测",
    "人员",
    "出入",
    "措施",
    "居民",
    "市民",
    "公告",
    "发布",
    "解封",
    "封控",
    "管控",
    "防范",
    "区域封闭",
    "原则",
    "经研究",
    "有关",
    "如下",
    "各位",
    "配合",
    "中华人民共和国",
    "法》",
    "条例",
    "规定",
    "工作",
    "联系电话",
    "咨询",
    "严禁",
    "聚集",
    "外出",
    "非必要",
    "不出",
    "上门",
    "封闭",
    "隔离",
    "排查",
    "请广大",
    "积极",
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})\s*[时点:](?:\s*(\d{1,2})\s*分?)?)?")
_DISTRICT = re.compile(r"^([\u4e00-\u9fa5]{1,8}?(?:区|旗|县|街道|镇))$")
_NUMBERING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳])\s*")


@dataclass
class NoticeName:
    """A compound name as the notice writes it."""

    text: str
    level: str | None = None
    district: str | None = None
    line: int = 0
    detail: str = ""  # what was cut off, e.g. "1-5号楼"


@dataclass
class Notice:
    title: str
    date: pd.Timestamp | None
    names: list[NoticeName]


@dataclass
class Candidate:
    compound_id: str
    name: str
    score: float
    method: str  # exact, variant, fuzzy


@dataclass
class NameMatch:
    """One notice name and what it matched.

    ``status`` is ``matched`` (taken), ``confirm`` (best candidate proposed, a
    planner must confirm it) or ``unmatched``. ``chosen`` is the candidate taken
    or proposed; ``accepted`` says whether it makes a zone.
    """

    query: NoticeName
    candidates: list[Candidate] = field(default_factory=list)
    status: str = "unmatched"
    chosen: Candidate | None = None
    accepted: bool = False

    def confirm(self, compound_id: str | None = None) -> None:
        """Accept the proposed candidate (or the one with ``compound_id``)."""
        if compound_id is not None:
            hit = next((c for c in self.candidates if c.compound_id == compound_id), None)
            if hit is None:
                raise HeatGISError(
                    Text(
                        "'{id}' is not a candidate for '{name}'",
                        "'{id}' 不是 '{name}' 的候选小区",
                        id=compound_id,
                        name=self.query.text,
                    ),
                    Text("choose one of the candidates shown", "请从列出的候选小区中选择"),
                )
            self.chosen = hit
        if self.chosen is None:
            raise HeatGISError(
                Text("'{name}' has no candidate to confirm", "'{name}' 没有可确认的候选小区", name=self.query.text),
                Text("draw the zone by hand", "请手工绘制该管控区"),
            )
        self.accepted = True

    def reject(self) -> None:
        self.accepted = False


# ------------------------------------------------------------------ text


def normalize_name(text: str) -> str:
    """Width-folded, without spaces, quotes and brackets' content."""
    t = unicodedata.normalize("NFKC", str(text))
    t = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", t)
    return re.sub(r"[\s\"'“”‘’·•\-—_]", "", t)


def split_name(name: str) -> tuple[str, str, str]:
    """(core, suffix, phase) of a compound name: 电力小区二期 → (电力, 小区, 二期)."""
    n = normalize_name(name)
    phase = ""
    m = _PHASE.search(n)
    if m and m.start() >= 2:
        phase, n = m.group(0), n[: m.start()]
    for s in SUFFIXES:
        if n.endswith(s) and len(n) - len(s) >= 2:
            return n[: -len(s)], s, phase
    return n, "", phase


def read_notice(path, encoding: str | None = None) -> str:
    """The text of a notice file: .txt (encoding detected) or .docx."""
    from heatgis.io.encoding import decode_text
    from heatgis.io.readers import read_docx_text

    path = Path(path)
    if not path.exists():
        raise HeatGISError(Text("the notice file does not exist", "通告文件不存在"), CHECK_PATH, file=path)
    if path.stat().st_size == 0:
        raise HeatGISError(
            Text("the notice file is empty", "通告文件是空的"),
            Text("paste the announcement text into it", "请将通告全文粘贴进去"),
            file=path,
        )
    if path.suffix.lower() == ".docx":
        return read_docx_text(path)
    if path.suffix.lower() == ".doc":
        raise HeatGISError(
            Text("old Word .doc files are not read", "不能读取旧版 Word .doc 文件"),
            Text("save it as .docx, or copy the text into a .txt", "请另存为 .docx，或将文字复制到 .txt 文件中"),
            file=path,
        )
    text, _ = decode_text(path.read_bytes(), encoding)
    return text


def parse_date(text: str) -> pd.Timestamp | None:
    """The start of the notice: '自2022年2月25日8时起' first, else the first date in the text."""
    t = unicodedata.normalize("NFKC", text)
    m = re.search(r"自\s*" + _DATE.pattern, t) or _DATE.search(t)
    if not m:
        return None
    y, mo, d, h, mi = (int(g) if g else 0 for g in m.groups()[-5:])
    try:
        return pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi)
    except ValueError:
        return None


def parse_notice(text: str) -> Notice:
    """Split a notice into compound names (with their section's level and district)."""
    t = unicodedata.normalize("NFKC", text or "").replace("\r", "")
    lines = t.split("\n")
    title = next((ln.strip() for ln in lines if ln.strip()), "")
    names: list[NoticeName] = []
    level = district = None
    seen = set()
    for k, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line == title:
            continue
        line = _NUMBERING.sub("", line)
        body = line
        if ":" in line:
            head, body = line.rsplit(":", 1)
            head = _NUMBERING.sub("", head.split(":")[-1].strip()) if ":" in head else head
            lv = _level_in(head)
            if lv:
                level = lv
            d = _district_in(head)
            district = d or (district if lv is None else None)
            if ":" in line.split(":", 1)[1]:  # 封控区:新城区:... both on one line
                parts = [p.strip() for p in line.split(":")]
                for p in parts[:-1]:
                    level = _level_in(p) or level
                    district = _district_in(p) or district
        elif len(line) <= 12 and (_level_in(line) or _district_in(line)):
            level = _level_in(line) or level
            district = _district_in(line) or (district if not _level_in(line) else None)
            continue
        tokens = [x for x in re.split(r"[、,;;。\t ]+", body) if x.strip()]
        for tok in tokens:
            name, detail = _clean_token(tok)
            if not _looks_like_name(name):
                continue
            key = normalize_name(name)
            if key in seen:
                continue
            seen.add(key)
            names.append(NoticeName(name, level, district, k, detail))
    return Notice(title, parse_date(t), names)


def _level_in(text: str) -> str | None:
    hits = [(text.rfind(w), lv) for w, lv in _LEVEL_WORDS if w in text]
    return max(hits)[1] if hits else None


def _district_in(text: str) -> str | None:
    t = re.sub(r"^.*?(?:封控区|管控区|防范区)", "", text).strip()
    m = _DISTRICT.match(t)
    return m.group(1) if m else None


def _clean_token(tok: str) -> tuple[str, str]:
    t = _NUMBERING.sub("", tok.strip().strip("\"'“”"))
    detail = ""
    m = re.search(r"[(\[【](.*?)[)\]】]", t)
    if m:
        detail = m.group(1)
        t = (t[: m.start()] + t[m.end() :]).strip()
    t = re.sub(r"等\d*个?(?:小区|区域|单位)?$", "", t)
    m = re.search(r"\d+(?:[-—~至]\d+)?号?(?:楼|栋|单元|号楼)$", t)
    if m and m.start() >= 2:
        detail = (detail + " " + m.group(0)).strip()
        t = t[: m.start()]
    return t.strip(), detail


def _looks_like_name(name: str) -> bool:
    if not 2 <= len(name) <= 20:
        return False
    if any(w in name for w in _STOP):
        return False
    if _DATE.search(name) or re.fullmatch(r"[\d\s.:年月日时分号第]+", name):
        return False
    return bool(re.search(r"[\u4e00-\u9fa5]", name))


# ------------------------------------------------------------------ matching


def match_names(names, compounds, min_score: float = 85.0, limit: int = 5) -> list[NameMatch]:
    """Match notice names against the compounds layer.

    Parameters
    ----------
    names : list of NoticeName or str
    compounds : DataFrame
        With ``compound_id``, ``name`` and optionally ``district``.
    min_score : float
        A best candidate at or above it, clearly ahead of the next one, is taken
        without asking; below it (or when two are close) it must be confirmed.
    limit : int
        Candidates kept per name.

    Returns
    -------
    list of NameMatch
    """
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    if compounds is None or len(compounds) == 0 or "name" not in compounds.columns:
        raise HeatGISError(
            Text("the project has no compounds to match the notice against", "项目中没有小区，无法与通告匹配"),
            Text("import the compounds layer (小区) first", "请先导入小区图层（compounds）"),
            layer="compounds",
        )
    ids = compounds["compound_id"].astype(str).tolist()
    raw = compounds["name"].astype(str).tolist()
    dist = compounds["district"].astype(str).tolist() if "district" in compounds.columns else [""] * len(ids)
    normed = [normalize_name(n) for n in raw]
    parts = [split_name(n) for n in raw]
    exact: dict[str, list[int]] = {}
    by_core: dict[tuple[str, str], list[int]] = {}
    for i, (n, (core, _, phase)) in enumerate(zip(normed, parts)):
        exact.setdefault(n, []).append(i)
        by_core.setdefault((core, phase), []).append(i)

    out = []
    for q in names:
        q = q if isinstance(q, NoticeName) else NoticeName(str(q))
        qn = normalize_name(q.text)
        qcore, qsuf, qphase = split_name(q.text)
        scores: dict[int, tuple[float, str]] = {}

        def put(i, score, method):
            if i not in scores or scores[i][0] < score:
                scores[i] = (score, method)

        for i in exact.get(qn, []):
            put(i, 100.0, "exact")
        # a redundant suffix: 青城花园小区 → 青城花园
        if qsuf and qn[: len(qn) - len(qsuf) - len(qphase)] + qphase in exact and not scores:
            for i in exact[qn[: len(qn) - len(qsuf) - len(qphase)] + qphase]:
                put(i, 92.0, "variant")
        variants = by_core.get((qcore, qphase), [])
        for i in variants:
            csuf = parts[i][1]
            if csuf == qsuf:
                continue
            if not qsuf:
                score = 92.0 if csuf == "小区" else (90.0 if len(variants) == 1 else 82.0)
            elif qsuf[-1] in _YUAN and csuf and csuf[-1] in _YUAN:
                score = 88.0
            else:
                score = 84.0 if len(variants) == 1 else 78.0
            put(i, score, "variant")
        # Levenshtein, not Indel: a wrong character (锦秀 for 锦绣) is one edit, not two
        for _, sc, i in process.extract(
            qn, normed, scorer=Levenshtein.normalized_similarity, limit=limit + 3, score_cutoff=0.5
        ):
            sc = 100.0 * sc
            if split_name(raw[i])[2] != qphase:
                sc = min(sc, 70.0)
            put(i, float(sc), "fuzzy")
        if q.district:
            for i, (sc, m) in list(scores.items()):
                if dist[i] and dist[i] != "None":
                    scores[i] = (min(100.0, sc + 2) if dist[i] == q.district else sc - 5, m)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], ids[kv[0]]))[:limit]
        cands = [Candidate(ids[i], raw[i], round(sc, 1), m) for i, (sc, m) in ranked]
        match = NameMatch(q, cands)
        if cands:
            best = cands[0]
            clear = len(cands) == 1 or cands[1].score <= best.score - 5
            match.chosen = best
            if best.score >= min_score and clear:
                match.status, match.accepted = "matched", True
            else:
                match.status = "confirm"
        out.append(match)
    return out
