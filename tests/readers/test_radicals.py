"""Radicals given back for ideographs (readers/radicals.py): each maps to the ideograph it stands for."""

from __future__ import annotations

import unicodedata

import zhconv

from ogi_report.readers.radicals import SUPPLEMENT, ideographs


def _ideograph(text: str) -> bool:
    return len(text) == 1 and "CJK UNIFIED IDEOGRAPH" in unicodedata.name(text, "")


def test_every_kangxi_radical_becomes_an_ideograph() -> None:
    for code in range(0x2F00, 0x2FD6):
        assert _ideograph(ideographs(chr(code))), hex(code)


def test_each_supplement_radical_is_the_ideograph_its_name_says() -> None:
    """A simplified form (`C-SIMPLIFIED GATE`) is the Simplified form of the Kangxi radical of the same
    name (`KANGXI RADICAL GATE`, 門 -> 门); the others are checked one by one."""
    by_hand = {"CIVILIAN": "民", "WEST TWO": "西", "MOTHER": "母", "C-SIMPLIFIED TURTLE": "龟"}
    for radical, ideograph in SUPPLEMENT.items():
        assert _ideograph(ideograph)
        name = unicodedata.name(radical).removeprefix("CJK RADICAL ")
        if name in by_hand:
            assert ideograph == by_hand[name]
            continue
        kangxi = unicodedata.lookup("KANGXI RADICAL " + name.split("SIMPLIFIED ", 1)[1])
        assert zhconv.convert(unicodedata.normalize("NFKC", kangxi), "zh-cn") == ideograph, name


def test_text_keeps_everything_else() -> None:
    assert ideographs("⼈⺠政府⼀、⾏政许可 12") == "人民政府一、行政许可 12"
    text = "示例县人民政府 (2024) ①"
    assert ideographs(text) == text
