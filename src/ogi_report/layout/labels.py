"""Lenient label matching, one matcher for every reader (readers match leniently, writers emit the
exact label: `docs/standard.md`, Sections).

`normalise` removes the differences that copying, retyping and converting introduce and that never
change which row is meant: full- and half-width forms (NFKC), white space (`商业 企业`), bracket and
quote styles, and `，` or `、` for `,`. `match_row` finds the registry row a text names: the exact
label first, then the label without its enumerator (`一、`, `（三）`, `1.`), then a unique truncated
label (`（二）部分公开` for the long official label), a label shortened at its start (`规范性文件` for
`行政规范性文件`) or a label followed by a bracketed note (`上一年项目数量(指2019年事项数)`).
`match_row_misspelt` forgives one slip of the pen in a label of four characters or more (`上年转结`,
`行政事业型收费`) where only one row could be meant.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from ogi_report.layout.tables import LAYOUTS, SECTIONS, Column, Row, Section, Table

# After NFKC: '、' and '，' (now ',') are one separator; CJK and ASCII quotes and brackets are one each.
_UNIFY = str.maketrans(
    {
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": "'",
        "』": "'",
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,  # byte order mark / zero-width no-break space
    }
)
_NUMERALS = "一二三四五六七八九十"
# An enumerator at the start of a normalised label: (一) 一, 1. 1, (1) 1)
_ENUMERATOR = re.compile(rf"^(?:\([{_NUMERALS}0-9]+\)|[{_NUMERALS}]+[,.]|[0-9]+[,.)])")
_MIN_PARTIAL = 4  # characters a truncated or shortened label must keep to be matched at all
_NOTE_START = ("(", ":")


# Traditional -> Simplified for every character of the registry's labels, the heading variants, the
# placeholder and unit words of cells and the words of the narrative patterns (mirror sites convert
# whole pages). Derived from those characters; tests/readers/test_labels.py checks it is complete.
_TRADITIONAL = (
    "萬業個爲為舉書於會體關內決況減辦務動區單發臺後國處復審對屬廢開強當總執護報據數無時機權條構沒現確"
    "祕穩類糾納組織經結繼續維繳罰範獲補規計認議許訟訪訴詢說請購費轉達過這進採問間項題額係製複覆筆佈暫適説"
)
_SIMPLIFIED = (
    "万业个为为举书于会体关内决况减办务动区单发台后国处复审对属废开强当总执护报据数无时机权条构没现确"
    "秘稳类纠纳组织经结继续维缴罚范获补规计认议许讼访诉询说请购费转达过这进采问间项题额系制复复笔布暂适说"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
# Pinyin inserted after words on some mirror sites: 數(shù)量. Latin letters only (with tone marks),
# so notes such as (一), (指2019年事项数) or (单位:万元) are never taken for pinyin.
_PINYIN = re.compile(r"\((?:\s*[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+)+\s*\)")


def simplified_characters(text: str) -> str:
    """Only the Traditional characters of the labels made Simplified: the same length, character for
    character, so a match in it is a match at the same place in `text`."""
    return text.translate(_TO_SIMPLIFIED)


def simplify(text: str) -> str:
    """Text in the form the registry is written in, white space kept: NFKC (full-width digits and
    brackets become ASCII), Traditional characters of the labels made Simplified, pinyin in
    brackets removed."""
    text = unicodedata.normalize("NFKC", text).translate(_TO_SIMPLIFIED)
    return _PINYIN.sub("", text) if "(" in text else text


# Pages repeat the same few hundred label texts across thousands of candidate cells: the matches
# below are pure functions of (table, text), remembered (bounded, so a hostile page cannot grow them).
_REMEMBERED = 1 << 14


# The reporting year some pages put inside a label (`一、本年(2021)新收……`): it never changes the row.
_YEAR_IN_LABEL = re.compile(r"\((?:19|20)[0-9]{2}(?:年度?)?\)")


@lru_cache(maxsize=_REMEMBERED)
def normalise(label: str) -> str:
    """The comparable form of a label: NFKC, no white space, one form of brackets, quotes and commas,
    Simplified characters, no pinyin, no bracketed year."""
    text = "".join(simplify(label).translate(_UNIFY).split())
    return _YEAR_IN_LABEL.sub("", text) if "(" in text else text


def enumerated(text: str) -> bool:
    """Whether a label starts with an enumerator (`一、`, `（二）`, `3.`): the start of a row's label."""
    return _ENUMERATOR.match(normalise(text)) is not None


def _stem(normalised: str) -> str:
    """A normalised label without its leading enumerator."""
    return _ENUMERATOR.sub("", normalised, count=1)


@dataclass(frozen=True)
class _Index:
    exact: dict[str, Row]
    stems: tuple[tuple[str, Row], ...]


@cache
def _index(table: Table) -> _Index:
    exact: dict[str, Row] = {}
    for row in table.rows:
        exact.setdefault(normalise(row.label), row)
    return _Index(exact, tuple((_stem(normalise(row.label)), row) for row in table.rows))


def _partial(stem: str, label_stem: str) -> bool:
    if len(stem) >= _MIN_PARTIAL and (label_stem.startswith(stem) or label_stem.endswith(stem)):
        return True  # truncated, or shortened at the start
    return (
        len(label_stem) >= _MIN_PARTIAL
        and stem.startswith(label_stem)
        and stem[len(label_stem) :].startswith(_NOTE_START)
    )


@lru_cache(maxsize=_REMEMBERED)
def match_row(table: Table, text: str) -> Row | None:
    """The row (data or group row) of `table` that `text` names, or None if none or several could."""
    key = normalise(text)
    if not key:
        return None
    index = _index(table)
    if key in index.exact:
        return index.exact[key]
    stem = _stem(key)
    if not stem:
        return None
    same = [row for label_stem, row in index.stems if label_stem == stem]
    if same:
        return same[0] if len(same) == 1 else None
    partial = [row for label_stem, row in index.stems if _partial(stem, label_stem)]
    return partial[0] if len(partial) == 1 else None


_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


@cache
def _endings(table: Table) -> tuple[tuple[str, Row], ...]:
    """Each data row's normalised label, and the label without its number where four characters or
    more are left: what `row_ending` looks for at the end of a text."""
    endings = []
    for row in table.data_rows:
        whole = normalise(row.label)
        endings += [
            (label, row) for label in {whole, _stem(whole)} if label == whole or len(label) >= _MIN_PARTIAL
        ]
    return tuple(endings)


@lru_cache(maxsize=_REMEMBERED)
def row_ending(table: Table, text: str) -> Row | None:
    """The data row whose whole label (or the label without its number, from four characters) ends
    `text`, where a table's header or heading words run into it (`…本年处理决定数量行政许可`); the
    longest such label, None if two as long could be meant."""
    key = normalise(text)
    keys = (key, _TRAILING_NOTE.sub("", key))  # `规范性文件(指各行政机关印发的有正式文号的文件)`
    found: dict[int, set[Row]] = {}
    for label, row in _endings(table):
        if any(k.endswith(label) for k in keys):
            found.setdefault(len(label), set()).add(row)
    if not found:
        return None
    rows = found[max(found)]
    return next(iter(rows)) if len(rows) == 1 else None


def ends_with_row(text: str) -> bool:
    """Whether `text` ends with a data row's label of any table of any layout (`row_ending`)."""
    return any(row_ending(table, text) is not None for layout in LAYOUTS.values() for table in layout.tables)


_MIN_SLIP = 4  # characters a label must keep for one slip of the pen in it to be forgiven
_MIN_SLIP_CUT = 6  # and a truncated or shortened one


def _one_slip(text: str, label: str) -> bool:
    """Same length, with one character retyped (`行政事业型收费`) or two neighbours swapped
    (`上年转结`)."""
    if len(text) != len(label):
        return False
    slips = [i for i, (a, b) in enumerate(zip(text, label, strict=True)) if a != b]
    if len(slips) == 1:
        return True
    if len(slips) != 2 or slips[1] != slips[0] + 1:
        return False
    first, second = slips
    return text[first] == label[second] and text[second] == label[first]


@lru_cache(maxsize=_REMEMBERED)
def match_row_misspelt(table: Table, text: str) -> Row | None:
    """The data row of `table` that `text` names with one slip of the pen (a character retyped, two
    swapped): the whole label from four characters, or truncated or shortened at its start as
    `match_row` allows from six; None if `match_row` matches it, or if a group row or more than
    one row could be meant. Readers try it last, and note the edit."""
    stem = _stem(normalise(text))
    if len(stem) < _MIN_SLIP or match_row(table, text) is not None:
        return None
    cut = len(stem) >= _MIN_SLIP_CUT  # long enough to be compared with a label's start or end
    found = {
        row
        for label, row in _index(table).stems
        if _one_slip(stem, label)
        or (cut and (_one_slip(stem, label[: len(stem)]) or _one_slip(stem, label[-len(stem) :])))
    }
    row = found.pop() if len(found) == 1 else None
    return row if row is not None and not row.is_group else None


def _bare(normalised: str) -> str:
    """A normalised label without its bracketed notes: 本年收费金额(单位:万元) -> 本年收费金额."""
    return re.sub(r"\([^()]*\)", "", normalised)


@cache
def _column_index(table: Table) -> tuple[tuple[str, str, Column], ...]:
    return tuple((normalise(c.label), _bare(normalise(c.label)), c) for c in table.columns)


@lru_cache(maxsize=_REMEMBERED)
def match_column(table: Table, text: str) -> Column | None:
    """The column of `table` that a header cell names, or None if none or several could: the exact
    label, then the label without bracketed notes on either side (`本年收费金额(万元)`), then a
    truncated label or one followed by a note (`上一年项目数量(指2019年事项数)`)."""
    key = normalise(text)
    if not key:
        return None
    index = _column_index(table)
    for label, _, column in index:
        if key == label:
            return column
    bare = _bare(key)
    same = [column for _, label_bare, column in index if bare and label_bare == bare]
    if same:
        return same[0] if len(same) == 1 else None
    partial = [column for label, _, column in index if _partial(key, label)]
    return partial[0] if len(partial) == 1 else None


# --- Section headings (docs/standard.md, Sections) ---------------------------------------------

HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "applications": ("依申请公开政府信息情况",),
    "review_litigation": ("因政府信息公开工作被申请行政复议和提起行政诉讼情况",),
    "problems": ("政府信息公开工作存在的主要问题及改进情况", "存在的问题和改进措施"),
    "other_matters": ("其他需报告的事项",),
}
"""Other wordings of the section headings seen in published reports, by section code."""

# A heading numbered as its section (三、…) is taken when it holds one of its section's words, so
# further rewordings (四、政府信息公开行政复议及行政诉讼情况) are still recognised.
_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "概述", "基本情况"),
    "proactive": ("主动公开",),
    "applications": ("申请",),
    "review_litigation": ("复议", "诉讼"),
    "problems": ("问题",),
    "other_matters": ("其他",),
}
_TOP_ENUMERATOR = re.compile(rf"^([{_NUMERALS}]+)[,.]")
_HEADING_MAX = 40  # characters of a heading line (normalised); longer lines are prose
_HEADING_END = ":。."


def _numeral(text: str) -> int | None:
    """一 -> 1 … 十 -> 10 (headings go up to 六)."""
    return _NUMERALS.index(text) + 1 if len(text) == 1 else None


@cache
def _heading_index() -> dict[str, Section]:
    index: dict[str, Section] = {}
    for section in SECTIONS:
        for label in (section.label, *HEADING_VARIANTS.get(section.code, ())):
            index[_stem(normalise(label))] = section
    return index


def match_section(text: str) -> Section | None:
    """The section whose heading `text` is (the official heading or one of its variants), or None for
    any other line: a heading is short, is not a sentence, and is either a known wording (with or
    without its numeral) or numbered as the section and holding one of its words."""
    key = normalise(text).rstrip(_HEADING_END)
    if not key or len(key) > _HEADING_MAX or "。" in key or ";" in key:
        return None
    numbered = _TOP_ENUMERATOR.match(key)
    stem = key[numbered.end() :] if numbered else key
    found = _heading_index().get(stem)
    position = _numeral(numbered.group(1)) if numbered else None
    if found is not None:
        return found if position in (None, SECTIONS.index(found) + 1) else None
    if position is None or position > len(SECTIONS):
        return _slipped_heading(key)
    section = SECTIONS[position - 1]
    return section if any(word in stem for word in _HEADING_WORDS[section.code]) else None


@cache
def _headings_in_text() -> re.Pattern[str]:
    """Every section's heading as written in full, numeral first (`二、主动公开政府信息情况`), spaces
    allowed between its characters: to find headings run on into a line of text."""
    wordings = []
    for number, section in enumerate(SECTIONS, 1):
        numeral = _NUMERALS[number - 1]
        for label in (section.label, *HEADING_VARIANTS.get(section.code, ())):
            stem = _ENUMERATOR.sub("", normalise(label), count=1)
            chars = [re.escape(c) if c != "," else "[,，、]" for c in stem]
            wordings.append(f"{numeral}[、,，.．]" + r"\s*".join(chars))
    return re.compile("|".join(sorted(wordings, key=len, reverse=True)))


# A heading reworded (`四、因政府信息公开工作被申请行政复议、提起行政诉讼情况`,
# `五、存在的主要问题及明年工作计划`): its numeral, then words up to the word that ends a heading.
_REWORDED_HEADING = re.compile(
    rf"[{_NUMERALS[:6]}][、,，.．][^0-9。；;，,：:]{{2,30}}?(?:情况|事项|措施|计划)"
)


def headings_in(text: str) -> list[tuple[int, int]]:
    """The spans of the section headings inside `text` (a page whose lines were run together), in
    order: written in full, or reworded where `match_section` takes the words as the heading of the
    section its numeral names."""
    spans = [m.span() for m in _headings_in_text().finditer(text)]  # in order, not overlapping
    starts = [a for a, _ in spans]
    found = list(spans)
    for m in _REWORDED_HEADING.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if (k < 0 or spans[k][1] <= m.start()) and match_section(m.group()) is not None:
            found.append(m.span())  # not inside a heading written in full
    return sorted(found)


def _slipped_heading(key: str) -> Section | None:
    """The section whose official heading, numeral included, `key` is with one slip of the pen
    (`三是收到和处理政府信息公开申请情况`: 是 typed for 、)."""
    found = [s for s in SECTIONS if len(key) >= _MIN_SLIP_CUT and _one_slip(key, normalise(s.label))]
    return found[0] if len(found) == 1 else None


# --- Header cells of a table ---------------------------------------------------------------------

HeaderKind = Literal["title", "block", "row_heading", "column_group", "note"]
_NOTE_PREFIX = 6  # characters a truncated corner note must keep


@cache
def _header_index(table: Table) -> dict[str, HeaderKind]:
    index: dict[str, HeaderKind] = {normalise(table.label): "title", _stem(normalise(table.label)): "title"}
    for row in table.rows:
        if row.block:
            index[normalise(row.block)] = "block"
    if table.row_heading:
        index[normalise(table.row_heading)] = "row_heading"
    for label, _ in table.column_groups:
        index[normalise(label)] = "column_group"
    return index


def match_header(table: Table, text: str) -> HeaderKind | None:
    """What a header cell of `table` that is neither a row nor a column label is: the table's title,
    a block heading (第二十条第（一）项), the row-label heading (信息内容), a column group
    (申请人情况) or the corner note (勾稽关系, matched by its first characters)."""
    key = normalise(text)
    if not key:
        return None
    kind = _header_index(table).get(key)
    if kind is not None:
        return kind
    if table.note:
        note = normalise(table.note)
        common = len(key) if note.startswith(key) else 0
        if common >= _NOTE_PREFIX or (len(key) >= _NOTE_PREFIX and key.startswith(note[:_NOTE_PREFIX])):
            return "note"
    return None


def label_texts() -> tuple[str, ...]:
    """Every text the readers match: labels, notes, blocks, column groups, headings and variants."""
    texts: list[str] = []
    for layout in LAYOUTS.values():
        for table in layout.tables:
            texts += [table.label, table.note or "", table.row_heading or ""]
            texts += [label for label, _ in table.column_groups]
            texts += [c.label for c in table.columns]
            texts += [r.label for r in table.rows] + [r.block or "" for r in table.rows]
    texts += [s.label for s in SECTIONS]
    texts += [v for variants in HEADING_VARIANTS.values() for v in variants]
    return tuple(t for t in dict.fromkeys(texts) if t)
