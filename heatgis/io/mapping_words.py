"""The words of the field mapping: header synonyms per contract field, value codes planners write,
unit words in headers and their factors. Data only; ``heatgis.io.mapping`` applies them."""

from __future__ import annotations

from heatgis.model.vocab import (
    FUEL_ZH,
    HEAT_SOURCE_KIND_ZH,
    OSM_HIGHWAY_CLASS,
    ROLE_ZH,
    ZONE_LEVEL_WORDS,
    ZONE_LEVELS,
)

#: header words for each contract field (compared without spaces, case and units)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "station_id": ("换热站编号", "站编号", "站号", "编号", "站点编号", "code", "id", "stationid"),
    "asset_id": ("锅炉房编号", "编号", "资产编号", "code", "id", "assetid"),
    "source_id": ("热源编号", "编号", "code", "id", "sourceid"),
    "compound_id": ("小区编号", "所在小区", "小区id", "compoundid", "编号", "id"),
    "depot_id": (
        "运营所",
        "所属运营所",
        "运营所编号",
        "供热所",
        "管理所",
        "分公司",
        "所属单位",
        "depot",
        "depotid",
        "编号",
        "id",
    ),
    "road_id": ("道路编号", "编号", "osm_id", "osmid", "id", "roadid"),
    "pipe_id": ("管段编号", "编号", "id", "pipeid"),
    "zone_id": ("管控区编号", "编号", "id", "zoneid"),
    "staff_id": ("员工编号", "工号", "编号", "id", "staffid"),
    "crew_id": ("抢修队编号", "队号", "编号", "id", "crewid"),
    "adcode": ("行政区划代码", "区划代码", "adcode", "代码"),
    "name": (
        "名称",
        "站名",
        "换热站名称",
        "换热站",
        "站点名称",
        "锅炉房名称",
        "热源名称",
        "小区名称",
        "小区名",
        "小区",
        "道路名称",
        "路名",
        "运营所名称",
        "队名",
        "姓名",
        "管控区名称",
        "name",
        "名字",
    ),
    "network_id": ("所属管网", "管网", "热网", "管网编号", "供热系统", "热源", "network", "networkid"),
    "heated_area_m2": ("供热面积", "供暖面积", "面积", "heatedarea", "area"),
    "households": ("户数", "用户数", "住户数", "居民户数", "households", "hh"),
    "design_load_kw": ("设计负荷", "热负荷", "负荷", "designload", "load"),
    "capacity_mw": ("装机容量", "容量", "规模", "capacity"),
    "address": ("地址", "详细地址", "位置", "address", "addr"),
    "district": ("所在区", "行政区", "区县", "区", "district"),
    "kind": ("类型", "类别", "热源类型", "kind", "type"),
    "fuel": ("燃料", "燃料类型", "fuel"),
    "road_class": ("道路等级", "等级", "highway", "roadclass", "class"),
    "speed_kmh": ("限速", "速度", "设计速度", "maxspeed", "speed"),
    "oneway": ("单行", "单行线", "oneway"),
    "from_id": ("起点", "起点编号", "上游节点", "from", "fromid"),
    "to_id": ("终点", "终点编号", "下游节点", "to", "toid"),
    "dn_mm": ("管径", "公称直径", "dn", "diameter"),
    "level": ("管控级别", "级别", "类型", "level"),
    "start": ("开始时间", "封控时间", "起始时间", "start"),
    "end": ("解除时间", "结束时间", "解封时间", "end"),
    "source": ("来源", "依据", "source"),
    "notes": ("备注", "说明", "notes", "remark"),
    "role": ("岗位", "职务", "工种", "role"),
    "skills": ("技能", "资质", "skills"),
    "assigned_site": ("负责站点", "所管站点", "值守站点", "assignedsite"),
    "phone": ("电话", "手机", "联系电话", "手机号", "phone", "tel"),
    "members": ("人数", "队员数", "members"),
    "shift_start": ("班次开始", "上班时间", "shiftstart"),
    "shift_end": ("班次结束", "下班时间", "shiftend"),
    "served_by": ("供热站点", "供热单位", "servedby"),
}

#: header words that name the id of whatever layer is imported
GENERIC_ID = {"编号", "id", "code", "代码", "编码"}

#: value codes planners write, mapped onto the contract's allowed values
VALUE_CODES: dict[str, dict[str, str]] = {
    # Sealed, 封控区, 封控 ... (heatgis.model.vocab: the one list of level words; codes match in any case)
    "level": {**{lv: lv for lv in ZONE_LEVELS}, **ZONE_LEVEL_WORDS},
    # the vocabulary's words (model/vocab.py) and the other ways planners write them
    "fuel": {**{v: c for c, v in FUEL_ZH.items()}, "天然气": "gas", "气": "gas", "煤": "coal"},
    "kind": {
        **{v: c for c, v in HEAT_SOURCE_KIND_ZH.items()},
        "热电厂": "chp",
        "电厂": "chp",
        "长输管网": "long_distance",
        "热源": "plant",
    },
    "road_class": {
        **OSM_HIGHWAY_CLASS,
        "快速路": "expressway",
        "高速": "expressway",
        "高速公路": "expressway",
        "环路": "ring",
        "主干路": "arterial",
        "主干道": "arterial",
        "次干路": "secondary",
        "次干道": "secondary",
        "支路": "local",
    },
    "oneway": {
        "yes": "1",
        "true": "1",
        "是": "1",
        "1": "1",
        "-1": "1",
        "no": "0",
        "false": "0",
        "否": "0",
        "0": "0",
        "": "0",
    },
    "role": {**{v: c for c, v in ROLE_ZH.items()}, "值班员": "operator", "调度": "dispatcher"},
}

#: unit words in a header and the factor onto the contract unit, per contract unit; the first word
#: found wins (longer words first). ASCII words match only between non-letters ("area_ha", not
#: "shape_area"). A bare 万 (面积万, 户数(万)) means ten thousand of the field's own unit.
UNITS: dict[str, list[tuple[str, float]]] = {
    "m2": [
        ("万平方米", 1e4),
        ("万平米", 1e4),
        ("万㎡", 1e4),
        ("万m2", 1e4),
        ("万m²", 1e4),
        ("平方公里", 1e6),
        ("平方千米", 1e6),
        ("km2", 1e6),
        ("km²", 1e6),
        ("公顷", 1e4),
        ("ha", 1e4),
        ("亩", 1e4 / 15),
        ("平方米", 1.0),
        ("平米", 1.0),
        ("㎡", 1.0),
        ("m2", 1.0),
        ("m²", 1.0),
        ("万", 1e4),
    ],
    "kw": [("万千瓦", 1e4), ("mw", 1000.0), ("兆瓦", 1000.0), ("kw", 1.0), ("千瓦", 1.0), ("w", 0.001)],
    "mw": [("kw", 0.001), ("千瓦", 0.001), ("蒸吨", 0.7), ("t/h", 0.7), ("mw", 1.0), ("兆瓦", 1.0)],
    "hh": [("万户", 1e4), ("(户)", 1.0), ("（户）", 1.0), ("万", 1e4)],
}
_FIELD_UNIT = {"heated_area_m2": "m2", "design_load_kw": "kw", "capacity_mw": "mw", "households": "hh"}

#: default heat load when a sheet has none: 45 W per m² heated (Hohhot design practice)
DEFAULT_LOAD_W_PER_M2 = 45.0
