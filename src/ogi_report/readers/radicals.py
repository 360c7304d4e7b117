"""Radicals given back for ideographs: Chinese text that a PDF (printed by a browser, notably) gives
back with radical code points for the ideographs it shows — `⼈⺠政府` for `人民政府` — which look the same
but match no label, name or word.

Unicode maps each radical to the ideograph it stands for (EquivalentUnifiedIdeograph.txt): every
Kangxi radical by its compatibility decomposition (NFKC), and, of the CJK Radicals Supplement, the
Simplified forms that stand for an ideograph of their own, listed here by name (a test checks each
name against the ideograph).
"""

from __future__ import annotations

import unicodedata

_KANGXI = range(0x2F00, 0x2FD6)
# CJK Radicals Supplement -> the ideograph (the names say which: CJK RADICAL C-SIMPLIFIED GATE is 门).
SUPPLEMENT = {
    "\u2e9f": "母",  # MOTHER
    "\u2ea0": "民",  # CIVILIAN
    "\u2ec4": "西",  # WEST TWO
    "\u2ec5": "见",  # C-SIMPLIFIED SEE
    "\u2ecb": "车",  # C-SIMPLIFIED CART
    "\u2ed3": "长",  # C-SIMPLIFIED LONG
    "\u2ed4": "门",  # C-SIMPLIFIED GATE
    "\u2ed9": "韦",  # C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "页",  # C-SIMPLIFIED LEAF
    "\u2edb": "风",  # C-SIMPLIFIED WIND
    "\u2edc": "飞",  # C-SIMPLIFIED FLY
    "\u2ee2": "马",  # C-SIMPLIFIED HORSE
    "\u2ee5": "鱼",  # C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # C-SIMPLIFIED BIRD
    "\u2ee8": "麦",  # SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # SIMPLIFIED YELLOW
    "\u2eec": "齐",  # C-SIMPLIFIED EVEN
    "\u2ef0": "龙",  # C-SIMPLIFIED DRAGON
    "\u2ef3": "龟",  # C-SIMPLIFIED TURTLE
}
_TO_IDEOGRAPHS = str.maketrans(
    {**{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in _KANGXI}, **SUPPLEMENT}
)


def ideographs(text: str) -> str:
    """`text` with each radical that stands for an ideograph given as that ideograph."""
    return text.translate(_TO_IDEOGRAPHS)
