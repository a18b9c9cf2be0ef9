"""Phone masking (cockpit/queries/macros/mask_phones.sql, made on every cursor of the query
runner): every shape of a phone, alone or inside text, keeps its first 3 and last 4 digits and
nothing between; shorter digit runs stay. Checked against a table of shapes and against the
rule written again in Python for a few thousand generated texts."""
from __future__ import annotations

import random
import re

import duckdb
import pytest

from cockpit.queries import load_macros

SHAPES = [  # text, as shown
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138 **** 5678"),
    ("138-1234-5678", "138-****-5678"),
    ("138 - 1234 - 5678", "138 - **** - 5678"),
    ("138.1234.5678", "138.****.5678"),
    ("+86 138 1234 5678", "+86 1** **** 5678"),
    ("+8613812345678", "+861******5678"),
    ("+86-21-6234-5678", "+86-2*-****-5678"),
    ("021-6234 5678", "021-**** 5678"),
    ("021-62345678", "021-****5678"),
    ("(021)62345678", "(021)****5678"),
    ("(021) 6234-5678", "(021) ****-5678"),
    ("（021）62345678", "（021）****5678"),
    ("62345678", "623*5678"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("138　1234　5678", "138　****　5678"),
    ("请回电13812345678，谢谢", "请回电138****5678，谢谢"),
    ("座机 021-62345678 或手机 139 0000 1111。", "座机 021-****5678 或手机 139 **** 1111。"),
    ("tel:13812345678;fax:02162345678", "tel:138****5678;fax:021****5678"),
    ("1234567", "1234567"),  # 7 digits: first 3 and last 4, nothing between
    ("123456", "123456"),
    ("门牌 12 号，3 楼 402 室", "门牌 12 号，3 楼 402 室"),
    ("办理时间长", "办理时间长"),
    ("", ""),
    (None, None),
]


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as con:
        con.execute(load_macros())
        yield con


@pytest.mark.parametrize("text, shown", SHAPES)
def test_every_shape_of_phone_is_masked(con, text, shown):
    assert con.execute("SELECT mask_phones(?)", [text]).fetchone()[0] == shown


DIGITS = "0123456789０１２３４５６７８９"
RUN = re.compile(r"[0-9０-９](?:[ 　\t\r\n.()（）\-－]{0,3}[0-9０-９])*")


def masked(text: str) -> str:
    """The rule again: in each run of at least 7 digits, every digit but the first 3 and the last 4 is *."""
    def run(match):
        piece = match.group(0)
        at = [i for i, c in enumerate(piece) if c in DIGITS]
        hidden = set(at[3:-4]) if len(at) >= 7 else set()
        return "".join("*" if i in hidden else c for i, c in enumerate(piece))
    return RUN.sub(run, text)


def test_generated_texts_are_masked_as_the_rule_says(con):
    rng = random.Random(16)
    alphabet = DIGITS * 4 + "  　\t\n.-－()（）+:;,，电话转号a"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    shown = dict(con.execute("SELECT t, mask_phones(t) FROM unnest(?) AS u(t)", [texts]).fetchall())
    wrong = [(t, shown[t], masked(t)) for t in texts if shown[t] != masked(t)]
    assert not wrong, wrong[:5]
    assert sum(t != shown[t] for t in texts) > 1000  # the generated texts do hold phones
