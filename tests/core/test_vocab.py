"""The vocabulary: one label per code in both languages, the level parser, the 万 format."""

from heatgis.model import vocab
from heatgis.model.schema import spec


def test_level_code_parses_what_planners_write():
    assert vocab.level_code("封控区") == "sealed"
    assert vocab.level_code(" 管控 ") == "controlled"
    assert vocab.level_code("防范区") == "precaution"
    assert vocab.level_code("Sealed") == "sealed"
    assert vocab.level_code("controlled") == "controlled"
    assert vocab.level_code("小区") is None
    assert vocab.level_code(None) is None
    assert vocab.level_code("") is None


def test_every_code_has_both_labels():
    for kind, (zh, en) in vocab._TABLES.items():
        assert set(zh) == set(en), kind
    assert set(vocab.LEVEL_ZH) == set(vocab.ZONE_LEVELS)
    assert set(vocab.ROLE_ZH) == set(vocab.ROLES)
    assert set(vocab.STATUS_ZH) == set(vocab.STAFFING_STATUS)
    assert vocab.label("level", "sealed") == "封控区"
    assert vocab.label("level", "sealed", "en") == "sealed"
    assert vocab.label("site_kind", "boiler_room") == "锅炉房"
    assert vocab.label("role", "boiler_operator") == "司炉工"
    assert vocab.label("level", "nonsense") == "nonsense"
    assert vocab.bilingual("level", "controlled") == "controlled 管控区"


def test_contract_uses_the_vocabulary():
    fields = {f.name: f for f in spec("lockdown_zones").fields}
    assert tuple(fields["level"].allowed) == vocab.ZONE_LEVELS
    fields = {f.name: f for f in spec("staff").fields}
    assert tuple(fields["role"].allowed) == vocab.ROLES


def test_wan_format_two_decimals():
    assert vocab.area_wan(5_159_000) == "515.90"
    assert vocab.fmt_wan(85_710_000) == "8,571.00"
    assert vocab.households(38_500) == "38,500 (3.85 万户)"
    assert vocab.area(5_159_000) == "5,159,000 m² (515.90 万㎡)"
    assert vocab.minutes(12.6) == "13 min"
