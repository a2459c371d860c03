"""Chinese name pools of the demo city (compounds, roads, people), deterministic given an rng."""

from __future__ import annotations

import numpy as np

# ------------------------------------------------------------------ roads
ARTERIAL_NS = [  # north-south arterials, west to east (real Hohhot street names, freely placed)
    "金海路",
    "西菜园路",
    "巴彦淖尔路",
    "阿拉善路",
    "通道街",
    "锡林郭勒路",
    "艺术厅街",
    "公园东路",
    "呼伦贝尔路",
    "满都海路",
    "兴安路",
    "昭乌达路",
    "东影路",
    "腾飞路",
    "展东路",
    "桥华路",
    "丰州路",
    "金桥路",
    "如意河路",
    "东河路",
    "科尔沁路",
    "巨海路",
    "云中路",
]
ARTERIAL_EW = [  # east-west arterials, north to south
    "北垣街",
    "成吉思汗大街",
    "海拉尔大街",
    "北二环辅路",
    "新华大街",
    "中山路",
    "大学西街",
    "大学东街",
    "乌兰察布路",
    "昭君路",
    "鄂尔多斯大街",
    "石羊桥路",
    "南茶坊街",
    "二十四号街",
    "金桥大街",
    "巴彦街",
    "盛乐大街",
]
RING_NAMES = {2: ("北二环路", "南二环路", "西二环路", "东二环路"), 3: ("北三环路", "南三环路", "西三环路", "东三环路")}
EXPRESSWAYS = ["机场高速", "京藏高速", "呼托高速", "呼和高速"]
SECONDARY_WORDS = [
    "友谊",
    "团结",
    "和平",
    "健康",
    "光明",
    "文化",
    "体育",
    "民族",
    "育才",
    "长和廊",
    "赛马场",
    "滨河",
    "学府",
    "青年",
    "人民",
    "胜利",
    "建设",
    "繁荣",
    "幸福",
    "吉祥",
    "安康",
    "振华",
    "工农兵",
    "宝尔汗",
    "喇嘛洞",
    "府兴营",
    "五塔寺",
    "大召",
    "席力图",
    "牛街",
    "宽巷子",
    "水磨",
    "攸攸板",
    "毫沁营",
    "讨号板",
    "东瓦窑",
    "西瓦窑",
    "石东",
    "铁路",
    "新民",
    "光华",
    "恒昌店",
    "塞上",
    "草原",
    "青山",
    "敕勒川",
    "昭君坟",
    "河西",
    "大台什",
    "西把栅",
    "兴旺",
    "达尔登",
]
LOCAL_WORDS = [
    "槐树",
    "杨树",
    "柳树",
    "榆树",
    "枣园",
    "梨园",
    "杏花",
    "桃园",
    "葡萄",
    "丁香",
    "海棠",
    "玉兰",
    "菜园",
    "磨坊",
    "钟楼",
    "鼓楼",
    "井坊",
    "粮店",
    "染房",
    "驼道",
    "马莲",
    "牧场",
    "羊场",
    "缸房",
    "石头",
    "砖瓦",
    "书院",
    "学堂",
    "庙前",
    "庙后",
    "东营",
    "西营",
    "南营",
    "北营",
    "太平",
    "兴隆",
    "福寿",
    "永安",
    "长兴",
    "德胜",
    "通顺",
    "义和",
    "聚源",
    "同心",
    "四合",
    "三合",
    "九龙",
    "五一",
    "红旗",
    "东风",
    "新风",
    "晨光",
    "朝阳",
    "向阳",
    "春华",
    "秋实",
    "满都",
    "巴特",
    "乌素",
    "格图",
]

# ------------------------------------------------------------------ compounds
COMPOUND_PREFIX = [
    "青城",
    "锦绣",
    "阳光",
    "滨河",
    "民族",
    "电力",
    "铁路",
    "邮电",
    "金桥",
    "如意",
    "大学",
    "师大",
    "农大",
    "内大",
    "工大",
    "水电",
    "电建",
    "西菜园",
    "东瓦窑",
    "石羊桥",
    "巴彦",
    "盛乐",
    "敕勒川",
    "昭君",
    "伊利",
    "北垣",
    "海东",
    "锡林",
    "呼伦",
    "乌兰",
    "新华",
    "中山",
    "鼓楼",
    "通道",
    "公园",
    "长乐宫",
    "万达",
    "恒大",
    "保利",
    "绿地",
    "碧桂园",
    "万科",
    "华润",
    "中海",
    "富力",
    "凯元",
    "兴泰",
    "维多利",
    "天骄",
    "亿利",
    "巨华",
    "金隅",
    "东方",
    "丽苑",
    "水岸",
    "紫御",
    "香榭",
    "金色",
    "翠园",
    "怡景",
    "和谐",
    "幸福",
    "秀水",
    "松山",
    "塞外",
    "草原",
    "光华",
    "中专",
    "医学院",
    "化工",
    "机械厂",
    "毛纺",
    "糖厂",
    "钢铁",
    "二毛",
    "环河",
    "如意河",
    "小黑河",
    "大青山",
    "金宇",
    "团结",
    "友谊",
    "春华",
    "枫林",
    "泰和",
    "恒昌",
    "太伟",
    "嘉茂",
    "宏源",
    "佳地",
    "少先",
]
COMPOUND_SUFFIX = [
    "小区",
    "花园",
    "家园",
    "苑",
    "院",
    "公寓",
    "新村",
    "嘉园",
    "湾",
    "城",
    "名邸",
    "雅居",
    "佳苑",
    "华府",
    "府",
    "里",
]
SUFFIX_WEIGHTS = np.array([10, 6, 5, 4, 3, 2, 3, 2, 1.5, 1.5, 1, 1, 1, 1, 1, 1], dtype=float)
PHASES = ["一期", "二期", "三期", "东区", "西区", "南区", "北区"]


def compound_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` unique compound names like 青城花园, 电力小区二期, 滨河湾."""
    combos = [p + s for p in COMPOUND_PREFIX for s in COMPOUND_SUFFIX]
    w = np.tile(SUFFIX_WEIGHTS, len(COMPOUND_PREFIX))
    order = rng.choice(len(combos), size=len(combos), replace=False, p=w / w.sum())
    names: list[str] = []
    seen: set[str] = set()
    i = 0
    while len(names) < n:
        base = combos[order[i % len(combos)]]
        name = base if i < len(combos) else base + PHASES[(i // len(combos) - 1) % len(PHASES)]
        if i < len(combos) and rng.random() < 0.08:
            name = base + PHASES[int(rng.integers(len(PHASES)))]
        if name not in seen:
            seen.add(name)
            names.append(name)
        i += 1
    return names


# ------------------------------------------------------------------ people
SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江"
    "史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文包云乌"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉玲桂英华建国志红海燕丹鹏飞斌峰宇浩凯"
    "欣婷慧晶博文彬亮成龙虎东雪梅兰琴凤春秀莉军利民福贵荣俊波"
)
MONGOLIAN = [
    "巴特尔",
    "乌云",
    "其木格",
    "那仁",
    "苏和",
    "额尔敦",
    "斯琴高娃",
    "那仁图雅",
    "苏日娜",
    "孟和",
    "朝鲁",
    "宝音",
    "格日乐",
    "阿拉坦",
    "乌力吉",
    "图雅",
    "敖登",
    "哈斯",
    "满都拉",
]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` person names: surname + one or two given characters, some Mongolian names."""
    sur = rng.integers(len(SURNAMES), size=n)
    g1 = rng.integers(len(GIVEN), size=n)
    g2 = rng.integers(len(GIVEN), size=n)
    two = rng.random(n) < 0.6
    mong = rng.random(n) < 0.08
    mi = rng.integers(len(MONGOLIAN), size=n)
    out = []
    for k in range(n):
        if mong[k]:
            out.append(MONGOLIAN[mi[k]])
        else:
            out.append(SURNAMES[sur[k]] + GIVEN[g1[k]] + (GIVEN[g2[k]] if two[k] else ""))
    return out


CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def cn_number(k: int) -> str:
    """1..99 in Chinese numerals (一, 十二, 二十)."""
    if k <= 10:
        return CN_NUM[k]
    tens, ones = divmod(k, 10)
    return ("" if tens == 1 else CN_NUM[tens]) + "十" + (CN_NUM[ones] if ones else "")
