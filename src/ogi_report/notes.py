"""Reading notes: how a source was read where it was not laid out exactly as the official tables.

A note is a coded record, worded like a finding: a stable code (`LABEL-EDITED`, `CELL-READ`, …), the
place in the source it is about (`cell`: `表三!D12`, `line 57`, a sheet), what was written there,
what it became and the parameters of its message. The messages in Chinese and English are data
(`NOTE_MESSAGES`), so both languages say the same and a program can act on the code alone.
Chinese messages hold no English sentence; English ones quote Chinese only as written in the source
or as the official labels.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["zh", "en"]
Param = str | int | tuple[str, ...]

NOTE_MESSAGES: dict[str, tuple[str, str]] = {
    # Workbooks
    "LABEL-EDITED": ("{cell}：“{written}”读作“{became}”", "{cell}: read '{written}' as '{became}'"),
    "ROW-UNKNOWN": (
        "{cell}：“{written}”行不在表中，已忽略",
        "{cell}: row '{written}' is not in the table; ignored",
    ),
    "ROWS-REORDERED": (
        "{cell}：行的顺序与官方表格不同，已按标签读取",
        "{cell}: rows are not in the official order; read by label",
    ),
    "COLUMN-MISSING": (
        "{cell}：“{row}”行没有“{column}”列，该格为空",
        "{cell}: no column '{column}' for row '{row}'; the cell is blank",
    ),
    "SHEET-RENAMED": ("工作表“{written}”读作“{became}”", "sheet '{written}' read as '{became}'"),
    "SHEET-BY-TABLE": (
        "工作表“{written}”读作“{became}”（其中有表格“{table}”）",
        "sheet '{written}' read as '{became}' (it holds the table '{table}')",
    ),
    "SHEET-MISSING": (
        "工作簿没有“{became}”工作表，正文各部分为空",
        "the workbook has no sheet '{became}': the sections are blank",
    ),
    # Workbooks and pages
    "ROW-MISSING": ("{cell}：未找到“{row}”行，该行各格为空", "{cell}: no row '{row}'; its cells are blank"),
    # Pages
    "ENCODING": (
        "不是 UTF-8 文本（第 {byte} 字节），已按 {encoding} 解码",
        "not UTF-8 (byte {byte}): decoded as {encoding}",
    ),
    "ENCODING-BOM": ("按字节顺序标记以 {encoding} 解码", "decoded as {encoding} (byte order mark)"),
    "LAYOUT-FROM-TABLE": (
        "按表{numeral}的形状判断为 {layout} 版式",
        "layout {layout}, from the shape of table {table}",
    ),
    "LAYOUT-GUESSED": (
        "没有表格显示版式，按年度 {year} 推定为 {layout} 版式",
        "layout {layout}, from the year {year} (no table shows it)",
    ),
    "LAYOUT-CONFLICT": (
        "表{numeral}像是 {other} 版式；按表{by_numeral}读作 {layout} 版式",
        "table {table} looks like layout {other}; read as layout {layout} (table {by})",
    ),
    "TABLE-UNKNOWN": (
        "{cell}：未识别出报告的表格，已忽略",
        "{cell}: no table of the report recognised in it; ignored",
    ),
    "TABLE-MISSING": ("未找到表{numeral}，该表为空", "table {table} not found: null"),
    "ROW-EMPTY": (
        "{cell}：“{row}”行没有数据，该行各格为空",
        "{cell}: row '{row}' has no cells; its cells are null",
    ),
    "ROW-REPEATED": (
        "{cell}：“{row}”行再次出现，保留第一次的数据",
        "{cell}: row '{row}' appears again; the first is kept",
    ),
    "ROW-EXTRA": (
        "{cell}：“{written}”行不在该版式的表中，作为附加行保留（{cells}），未读入报告",
        "{cell}: row '{written}' is not in the layout's table; kept as an extra ({cells}), not read into "
        "the report",
    ),
    "CELLS-SURPLUS": (
        "{cell}：“{row}”有 {found} 格，应为 {wanted} 格；多余的（{dropped}）已忽略",
        "{cell}: '{row}' has {found} cells where {wanted} were expected; the surplus ({dropped}) is ignored",
    ),
    "CELLS-JOINED": (
        "{cell}：“{written}”中行名与数字连写，按 {wanted} 列读作 {cells}",
        "{cell}: '{written}' runs the row's name and figures together; read as {cells} for its {wanted} "
        "column(s)",
    ),
    "FIGURES-JOINED": (
        "{cell}：“{written}”是“{row}”各格的数字连写，按 {wanted} 列读作 {cells}",
        "{cell}: '{written}' runs the figures of '{row}' together; read as {cells} for its {wanted} columns",
    ),
    "CELLS-SHORT": (
        "{cell}：“{row}”有 {found} 格，应为 {wanted} 格；缺少的为空",
        "{cell}: '{row}' has {found} cells where {wanted} were expected; the missing ones are null",
    ),
    "CELL-OUTSIDE": (
        "{cell}：“{written}”位于“{column}”列下，“{row}”行没有该列，已忽略",
        "{cell}: '{written}' stands under '{column}', a column row '{row}' does not have; ignored",
    ),
    "CELL-LOOSE": (
        "{cell}：“{written}”不属于任何行，已忽略",
        "{cell}: '{written}' belongs to no row; ignored",
    ),
    "CELL-READ": (
        "{path}（{cell}）：“{written}”读作 {became}（{how}）",
        "{path} ({cell}): '{written}' read as {became} ({how})",
    ),
    "CELL-UNREADABLE": (
        "{path}（{cell}）：“{written}”无法读取（{how}）",
        "{path} ({cell}): '{written}' unreadable ({how})",
    ),
    "CELL-ABSENT": ("{path}：页面中没有该格，为空", "{path}: no cell in the page: null"),
    "COLUMNS-UNKNOWN": (
        "{cell}：“{row}”有 {found} 格（{cells}），而该行有 {wanted} 列，页面未显示哪些列为空",
        "{found} cell(s) ({cells}) at {cell} for the {wanted} columns of '{row}', and the page does not "
        "show which columns are empty",
    ),
    "CELLS-UNPLACED": (
        "{cell}：“{row}”有 {found} 格（{cells}），而该行有 {wanted} 列，页面未显示哪些列为空；"
        "该行各格留空，不作猜测（CELL-UNPLACED）",
        "{cell}: {found} cell(s) ({cells}) for the {wanted} columns of '{row}', and the page does not "
        "show which columns are empty; its cells are left blank, not guessed (CELL-UNPLACED)",
    ),
    "RUN-UNSPLIT": (
        "{cell}：“{row}”的数字连写为“{cells}”，分入其 {wanted} 列的方式不止一种",
        "'{cells}' at {cell} runs the figures of '{row}' together, and they split into its {wanted} "
        "columns more than one way",
    ),
    "CELLS-RUN-UNSPLIT": (
        "{cell}：“{row}”的数字连写为“{cells}”，分入其 {wanted} 列的方式不止一种；该行各格留空，"
        "不作猜测（CELL-UNPLACED）",
        "{cell}: '{cells}' runs the figures of '{row}' together, and they split into its {wanted} columns "
        "more than one way; its cells are left blank, not guessed (CELL-UNPLACED)",
    ),
    "CELL-UNPLACED": (
        "{path}（{cell}）：无法判断所在列，留空（“{row}”有 {found} 格，{wanted} 列）",
        "{path} ({cell}): its column cannot be told; left blank ({found} cell(s) for the {wanted} "
        "columns of '{row}')",
    ),
    # Pages without their title: the year and the agency from what the text says of itself
    "YEAR-FROM-TEXT": ("报告年度 {became} 取自正文“{written}”", "year {became} from the text '{written}'"),
    "YEAR-FROM-PUBLISHED": (
        "报告年度 {became}：发布日期（{written}）的前一年",
        "year {became}: the year before the publication date ({written})",
    ),
    "AGENCY-FROM-TEXT": ("机关名称取自正文“{written}”", "agency from the text '{written}'"),
    "AGENCY-GOVERNMENT": (
        "机关名称取自正文“{written}”（“{place}”是地名，报告机关为其人民政府）",
        "agency from the text '{written}' ('{place}' names a place; the report is its people's government's)",
    ),
    "AGENCY-PLACED": (
        "机关名称取自正文“{written}”（标题只写“{name}”，未写地名）",
        "agency from the text '{written}' (the title says only '{name}', without its place)",
    ),
    "AGENCY-FROM-META": ("机关名称取自页面元数据“{key}”", 'agency from <meta name="{key}">'),
    "YEAR-MISSING": (
        "页面未写明报告年度，暂按 {year} 年读取（METADATA-MISSING；可用选项 --year 给出）",
        "the page does not state its year; taken as {year} to read it (METADATA-MISSING; give it: "
        "ogi extract --year)",
    ),
    "AGENCY-MISSING": (
        "页面未写明机关名称，记为“{became}”（METADATA-MISSING；可用选项 --agency 给出）",
        "the page does not name its agency; recorded as '{became}' (METADATA-MISSING; give it: "
        "ogi extract --agency)",
    ),
    # Word documents
    "LINK-NOT-FETCHED": ("外部链接未获取：“{written}”", "external link not fetched: '{written}'"),
}
"""Note code -> (Chinese, English) message template; fields: cell, written, became and the params."""

READING_STEPS: dict[str, tuple[str, str]] = {
    "blank": ("空白", "blank"),
    "placeholder": ("占位符", "a placeholder"),
    "full_width_digits": ("全角数字", "full-width digits"),
    "full_width_or_traditional": ("全角或繁体字符", "full-width or Traditional characters"),
    "thousands": ("千位分隔符", "thousands separators"),
    "sign": ("符号“{0}”", "sign '{0}'"),
    "unit_dropped": ("去掉单位“{0}”", "unit '{0}' dropped"),
    "converted": ("{0}换算为{1}", "'{0}' converted to '{1}'"),
    "ten_thousand": ("单位“{0}”：×10000", "unit '{0}': ×10000"),
    "decimal_point": ("小数点", "decimal point"),
    "spaces": ("去掉空格", "spaces removed"),
    "aside_dropped": ("去掉括注“{0}”", "aside '{0}' in brackets dropped"),
    "not_figure": ("不是数字", "not a figure"),
    "not_whole": ("不是整数", "not a whole number"),
    "out_of_range": ("不是该格能容纳的值", "not a value the cell can hold"),
}
"""How a page's cell text became its value, one step at a time: `step` or `step:arg:arg` ->
(Chinese, English) wording, the args filled in by position."""

# Places in a page as the page readers name them (`table 2 row 4 cell 2`, `line 57 cell 3`,
# `line 12–40`, `paragraph 9`, `line 7 (blank)`, `line 10 piece 3 figure 2`), worded in Chinese;
# workbook places (表三!D12) are kept.
_PLACE_WORDS_ZH = (
    (re.compile(r"\btable (\d+)"), r"第\1个表格"),
    (re.compile(r"\bparagraph (\d+)"), r"第\1段"),
    (re.compile(r"\bline (\d+)–(\d+)"), r"第\1–\2行"),
    (re.compile(r"\bline (\d+)"), r"第\1行"),
    (re.compile(r"\s*\brow (\d+)"), r"第\1行"),
    (re.compile(r"\s*\bcell (\d+)"), r"第\1格"),
    (re.compile(r"\s*\bpiece (\d+)"), r"第\1段"),  # of a line whose table ran into one (`规章000`)
    (re.compile(r"\s*\bfigure (\d+)"), r"第\1个数"),  # of figures run together
    (re.compile(r"\s*\(blank\)"), "（空白）"),
    (re.compile(r"\s*\(empty cell\)"), "（空格）"),
)
# Places in a Word document or a PDF as their readers name them (`第2页 表三 第5行 第3列`,
# `表格4 第1行 第2列`, `第9段`), worded in English; the table's name (表三, 表三（续）) is kept, as a
# workbook's sheet name is.
_PLACE_WORDS_EN = (
    (re.compile(r"第(\d+)页"), r"page \1"),
    (re.compile(r"第(\d+)段"), r"paragraph \1"),
    (re.compile(r"第(\d+)行"), r"row \1"),
    (re.compile(r"第(\d+)列"), r"column \1"),
    (re.compile(r"表格(\d+)"), r"table \1"),
)


def place_words(place: str, lang: Lang) -> str:
    """A place in the source in the language of the message."""
    for pattern, words in _PLACE_WORDS_EN if lang == "en" else _PLACE_WORDS_ZH:
        place = pattern.sub(words, place)
    return place


_NULL = {"zh": "空", "en": "null"}
_JOIN = {"zh": "、", "en": ", "}
_BLANK_CELL = {"zh": "（空白）", "en": "(blank)"}


def step_words(steps: tuple[str, ...], lang: Lang) -> str:
    """The steps of a reading (`READING_STEPS`) in one language."""
    words = []
    for step in steps:
        key, *args = step.split(":")
        words.append(READING_STEPS[key][lang == "en"].format(*args))
    return _JOIN[lang].join(words)


class ReadingNote(BaseModel):
    """How one thing in the source was read: a code, the place, what was written, what it became."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Stable note code, e.g. LABEL-EDITED, CELL-READ")
    cell: str | None = Field(None, description="Place in the source: 表三!D12, line 57, a sheet")
    written: str | None = Field(None, description="What the source wrote there")
    became: str | None = Field(None, description="What it was read as (a label, a value; None: blank)")
    params: dict[str, Param] = Field(default_factory=dict, description="Parameters of the message")

    def message(self, lang: Lang = "zh") -> str:
        template = NOTE_MESSAGES[self.code][lang == "en"]
        fields: dict[str, str] = {key: self._param(key, value, lang) for key, value in self.params.items()}
        fields["cell"] = place_words(self.cell, lang) if self.cell else "?"
        fields["written"] = (self.written or "").strip()
        fields["became"] = _NULL[lang] if self.became is None else self.became
        return template.format_map(fields)

    @staticmethod
    def _param(key: str, value: Param, lang: Lang) -> str:
        if key == "how" and isinstance(value, tuple):
            return step_words(value, lang)
        if isinstance(value, tuple):
            return _JOIN[lang].join(v or _BLANK_CELL[lang] for v in value)
        return str(value)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The output shape: the record, and its message in the language asked for and in both."""
        return {
            "code": self.code,
            "cell": self.cell,
            "written": self.written,
            "became": self.became,
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
            "message": self.message(lang),
            "message_zh": self.message("zh"),
            "message_en": self.message("en"),
        }


def note(
    code: str,
    cell: str | None = None,
    *,
    written: str | None = None,
    became: str | None = None,
    **params: Param,
) -> ReadingNote:
    """A reading note (its code must have messages)."""
    assert code in NOTE_MESSAGES, code
    return ReadingNote(code=code, cell=cell, written=written, became=became, params=params)
