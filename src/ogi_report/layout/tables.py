"""The official tables as data: the single source of truth for every row, column and label.

Everything else (pydantic models, JSON Schema, rule scopes, rule documentation and, later, the
Excel template, the page reader and the data package's Table Schemas) is derived from the records
below. Labels are the exact official labels, character for character; codes are the English keys
of the JSON interchange format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class CellKind(StrEnum):
    """What a cell holds."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (2019-trial 本年增/减)
    MONEY = "money"  # decimal amount, every digit kept


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    en: str
    kind: CellKind = CellKind.COUNT
    unit: str | None = None  # for money: the unit the value is stored in
    group: str | None = None  # label of the header group the column sits under


@dataclass(frozen=True)
class Row:
    """A table row. A row without columns is a group heading (it carries no cells)."""

    code: str
    label: str
    en: str
    columns: tuple[str, ...] = ()
    parent: str | None = None  # code of the group row it belongs to
    block: str | None = None  # table 二: the article clause heading the row sits under

    @property
    def is_group(self) -> bool:
        return not self.columns


# Tables and layouts are singletons compared by identity: cheap to hash as cache keys.
@dataclass(frozen=True, eq=False)
class Table:
    code: str
    label: str
    en: str
    model_name: str  # stem of the pydantic class names derived from this table
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str | None = None  # text printed in the table's corner cell
    column_groups: tuple[tuple[str, str], ...] = ()  # (label, en) header groups, outermost first
    row_heading: str | None = None  # header of the row-label column (table 二: 信息内容)
    rows_across: bool = False  # the official table sets its rows side by side as column blocks (表四)

    @cached_property
    def column_map(self) -> dict[str, Column]:
        return {c.code: c for c in self.columns}

    @cached_property
    def row_map(self) -> dict[str, Row]:
        return {r.code: r for r in self.rows}

    @cached_property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.is_group)

    def column(self, code: str) -> Column:
        return self.column_map[code]

    def row(self, code: str) -> Row:
        return self.row_map[code]

    def cells(self) -> Iterator[tuple[Row, Column]]:
        """Every cell of the table, in reading order."""
        for row in self.data_rows:
            for code in row.columns:
                yield row, self.column_map[code]

    def descendants(self, group: str) -> tuple[Row, ...]:
        """Data rows below a group row, at any depth, in table order."""
        found: list[Row] = []
        inside = {group}
        for row in self.rows:
            if row.parent in inside:
                if row.is_group:
                    inside.add(row.code)
                else:
                    found.append(row)
        return tuple(found)

    def ancestors(self, row_code: str) -> tuple[Row, ...]:
        """Group rows above a row, outermost first."""
        chain: list[Row] = []
        parent = self.row_map[row_code].parent
        while parent is not None:
            chain.append(self.row_map[parent])
            parent = self.row_map[parent].parent
        return tuple(reversed(chain))


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    en: str
    table: str | None = None  # code of the table the section holds, if any


@dataclass(frozen=True, eq=False)
class Layout:
    code: str  # "2021" or "2019-trial"
    title: str
    basis: str  # the notice that issued the layout
    model_name: str
    sections: tuple[Section, ...]
    tables: tuple[Table, ...] = field(default=())

    @cached_property
    def table_map(self) -> dict[str, Table]:
        return {t.code: t for t in self.tables}

    def table(self, code: str) -> Table:
        return self.table_map[code]

    def cell_paths(self) -> Iterator[str]:
        """`table.row.column` for every cell of every table."""
        for table in self.tables:
            for row, col in table.cells():
                yield f"{table.code}.{row.code}.{col.code}"


def _rows(*rows: Row) -> tuple[Row, ...]:
    return rows


# --- Sections (both layouts) -------------------------------------------------------------------

SECTIONS = (
    Section("overview", "一、总体情况", "Overview"),
    Section("proactive", "二、主动公开政府信息情况", "Proactive disclosure", table="proactive"),
    Section(
        "applications",
        "三、收到和处理政府信息公开申请情况",
        "Requests for disclosure received and handled",
        table="applications",
    ),
    Section(
        "review_litigation",
        "四、政府信息公开行政复议、行政诉讼情况",
        "Administrative reconsideration and litigation",
        table="review_litigation",
    ),
    Section("problems", "五、存在的主要问题及改进情况", "Main problems and improvements"),
    Section("other_matters", "六、其他需要报告的事项", "Other matters to report"),
)

TEXT_SECTIONS = tuple(s for s in SECTIONS if s.table is None)

# --- Table 二 ------------------------------------------------------------------------------------

_ART20_1 = "第二十条第（一）项"
_ART20_5 = "第二十条第（五）项"
_ART20_6 = "第二十条第（六）项"
_ART20_8 = "第二十条第（八）项"
_ART20_9 = "第二十条第（九）项"
_ROW_HEADING = "信息内容"

_DOCS_2021 = ("issued", "repealed", "in_force")

PROACTIVE_2021 = Table(
    code="proactive",
    label="二、主动公开政府信息情况",
    en="Proactive disclosure",
    model_name="Proactive2021",
    row_heading=_ROW_HEADING,
    columns=(
        Column("issued", "本年制发件数", "Issued this year"),
        Column("repealed", "本年废止件数", "Repealed this year"),
        Column("in_force", "现行有效件数", "In force"),
        Column("decisions", "本年处理决定数量", "Decisions this year"),
        Column("amount", "本年收费金额（单位：万元）", "Fees collected this year", CellKind.MONEY, "万元"),
    ),
    rows=_rows(
        Row("regulations", "规章", "Regulations", _DOCS_2021, block=_ART20_1),
        Row("normative_documents", "行政规范性文件", "Normative documents", _DOCS_2021, block=_ART20_1),
        Row("licensing", "行政许可", "Administrative licensing", ("decisions",), block=_ART20_5),
        Row("penalty", "行政处罚", "Administrative penalties", ("decisions",), block=_ART20_6),
        Row("coercion", "行政强制", "Administrative coercion", ("decisions",), block=_ART20_6),
        Row("fees", "行政事业性收费", "Administrative fees", ("amount",), block=_ART20_8),
    ),
)

_DOCS_TRIAL = ("new_made", "new_published", "total_published")
_ITEMS_TRIAL = ("prior_year_items", "change", "decisions")

PROACTIVE_2019 = Table(
    code="proactive",
    label="二、主动公开政府信息情况",
    en="Proactive disclosure",
    model_name="Proactive2019Trial",
    row_heading=_ROW_HEADING,
    columns=(
        Column("new_made", "本年新制作数量", "Newly made this year"),
        Column("new_published", "本年新公开数量", "Newly published this year"),
        Column("total_published", "对外公开总数量", "Total published"),
        Column("prior_year_items", "上一年项目数量", "Items in the prior year"),
        Column("change", "本年增/减", "Change this year", CellKind.SIGNED),
        Column("decisions", "处理决定数量", "Decisions"),
        Column("items", "采购项目数量", "Procurement items"),
        Column("amount", "采购总金额", "Procurement amount", CellKind.MONEY, "元"),
    ),
    rows=_rows(
        Row("regulations", "规章", "Regulations", _DOCS_TRIAL, block=_ART20_1),
        Row("normative_documents", "规范性文件", "Normative documents", _DOCS_TRIAL, block=_ART20_1),
        Row("licensing", "行政许可", "Administrative licensing", _ITEMS_TRIAL, block=_ART20_5),
        Row(
            "other_services",
            "其他对外管理服务事项",
            "Other external management services",
            _ITEMS_TRIAL,
            block=_ART20_5,
        ),
        Row("penalty", "行政处罚", "Administrative penalties", _ITEMS_TRIAL, block=_ART20_6),
        Row("coercion", "行政强制", "Administrative coercion", _ITEMS_TRIAL, block=_ART20_6),
        Row(
            "fees",
            "行政事业性收费",
            "Administrative fees",
            ("prior_year_items", "change"),
            block=_ART20_8,
        ),
        Row(
            "procurement",
            "政府集中采购",
            "Centralised government procurement",
            ("items", "amount"),
            block=_ART20_9,
        ),
    ),
)

# --- Table 三 ------------------------------------------------------------------------------------

_APPLICANT = "申请人情况"
_LEGAL_PERSON = "法人或其他组织"
_A = (
    "natural_person",
    "business",
    "research",
    "nonprofit",
    "legal_service",
    "other_org",
    "total",
)

_APPLICATION_COLUMNS = (
    Column("natural_person", "自然人", "Natural persons", group=_APPLICANT),
    Column("business", "商业企业", "Businesses", group=_LEGAL_PERSON),
    Column("research", "科研机构", "Research institutions", group=_LEGAL_PERSON),
    Column("nonprofit", "社会公益组织", "Public-interest organisations", group=_LEGAL_PERSON),
    Column("legal_service", "法律服务机构", "Legal service providers", group=_LEGAL_PERSON),
    Column("other_org", "其他", "Other organisations", group=_LEGAL_PERSON),
    Column("total", "总计", "Total", group=_APPLICANT),
)

_R = "results"


def _application_rows(other_handling: tuple[Row, ...]) -> tuple[Row, ...]:
    return (
        Row("new_received", "一、本年新收政府信息公开申请数量", "New requests received this year", _A),
        Row("carried_in", "二、上年结转政府信息公开申请数量", "Requests carried over from last year", _A),
        Row(_R, "三、本年度办理结果", "Outcomes this year"),
        Row("granted", "（一）予以公开", "Disclosed", _A, parent=_R),
        Row(
            "partially_granted",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "Partially disclosed",
            _A,
            parent=_R,
        ),
        Row("denied", "（三）不予公开", "Not disclosed", parent=_R),
        Row("denied_state_secret", "1.属于国家秘密", "State secret", _A, parent="denied"),
        Row(
            "denied_law_prohibited",
            "2.其他法律行政法规禁止公开",
            "Prohibited by other laws or regulations",
            _A,
            parent="denied",
        ),
        Row(
            "denied_security_stability",
            "3.危及“三安全一稳定”",
            "Endangers security or stability",
            _A,
            parent="denied",
        ),
        Row(
            "denied_third_party",
            "4.保护第三方合法权益",
            "Protects third-party rights",
            _A,
            parent="denied",
        ),
        Row(
            "denied_internal_affairs",
            "5.属于三类内部事务信息",
            "Internal affairs information",
            _A,
            parent="denied",
        ),
        Row(
            "denied_process_info",
            "6.属于四类过程性信息",
            "Process information",
            _A,
            parent="denied",
        ),
        Row(
            "denied_enforcement_file",
            "7.属于行政执法案卷",
            "Administrative enforcement file",
            _A,
            parent="denied",
        ),
        Row(
            "denied_admin_query",
            "8.属于行政查询事项",
            "Administrative query matter",
            _A,
            parent="denied",
        ),
        Row("unavailable", "（四）无法提供", "Cannot be provided", parent=_R),
        Row(
            "unavailable_not_held",
            "1.本机关不掌握相关政府信息",
            "Information not held",
            _A,
            parent="unavailable",
        ),
        Row(
            "unavailable_needs_creation",
            "2.没有现成信息需要另行制作",
            "Would need to be created",
            _A,
            parent="unavailable",
        ),
        Row(
            "unavailable_unclear",
            "3.补正后申请内容仍不明确",
            "Still unclear after correction",
            _A,
            parent="unavailable",
        ),
        Row("not_processed", "（五）不予处理", "Not processed", parent=_R),
        Row(
            "not_processed_complaint",
            "1.信访举报投诉类申请",
            "Petition, report or complaint",
            _A,
            parent="not_processed",
        ),
        Row("not_processed_repeat", "2.重复申请", "Repeated request", _A, parent="not_processed"),
        Row(
            "not_processed_publication",
            "3.要求提供公开出版物",
            "Asks for a public publication",
            _A,
            parent="not_processed",
        ),
        Row(
            "not_processed_excessive",
            "4.无正当理由大量反复申请",
            "Excessive repeated requests without good reason",
            _A,
            parent="not_processed",
        ),
        Row(
            "not_processed_confirmation",
            "5.要求行政机关确认或重新出具已获取信息",
            "Asks to confirm or reissue information already obtained",
            _A,
            parent="not_processed",
        ),
        *other_handling,
        Row("total_handled", "（七）总计", "Total handled", _A, parent=_R),
        Row("carried_out", "四、结转下年度继续办理", "Carried forward to next year", _A),
    )


_OTHER_HANDLING_LABEL = "（六）其他处理"
_OTHER_HANDLING_EN = "Other handling"

_OTHER_HANDLING_2021 = (
    Row("other_handling", _OTHER_HANDLING_LABEL, _OTHER_HANDLING_EN, parent=_R),
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "Applicant did not correct in time",
        _A,
        parent="other_handling",
    ),
    Row(
        "other_no_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "Applicant did not pay the fee in time",
        _A,
        parent="other_handling",
    ),
    Row("other_misc", "3.其他", "Other", _A, parent="other_handling"),
)

_OTHER_HANDLING_2019 = (Row("other_handling", _OTHER_HANDLING_LABEL, _OTHER_HANDLING_EN, _A, parent=_R),)

_APPLICATIONS_LABEL = "三、收到和处理政府信息公开申请情况"
_APPLICATIONS_EN = "Requests for disclosure received and handled"
APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

APPLICATIONS_2021 = Table(
    code="applications",
    label=_APPLICATIONS_LABEL,
    en=_APPLICATIONS_EN,
    model_name="Applications2021",
    columns=_APPLICATION_COLUMNS,
    rows=_application_rows(_OTHER_HANDLING_2021),
    note=APPLICATIONS_NOTE,
    column_groups=((_APPLICANT, "Applicants"), (_LEGAL_PERSON, "Legal persons or other organisations")),
)

APPLICATIONS_2019 = Table(
    code="applications",
    label=_APPLICATIONS_LABEL,
    en=_APPLICATIONS_EN,
    model_name="Applications2019Trial",
    columns=_APPLICATION_COLUMNS,
    rows=_application_rows(_OTHER_HANDLING_2019),
    note=APPLICATIONS_NOTE,
    column_groups=APPLICATIONS_2021.column_groups,
)

# --- Table 四 ------------------------------------------------------------------------------------

_RL = ("upheld", "corrected", "other", "pending", "total")

REVIEW_LITIGATION = Table(
    code="review_litigation",
    label="四、政府信息公开行政复议、行政诉讼情况",
    en="Administrative reconsideration and litigation",
    model_name="ReviewLitigation",
    rows_across=True,
    columns=(
        Column("upheld", "结果维持", "Upheld"),
        Column("corrected", "结果纠正", "Corrected"),
        Column("other", "其他结果", "Other result"),
        Column("pending", "尚未审结", "Pending"),
        Column("total", "总计", "Total"),
    ),
    rows=_rows(
        Row("reconsideration", "行政复议", "Administrative reconsideration", _RL),
        Row("litigation", "行政诉讼", "Administrative litigation"),
        Row(
            "litigation_direct",
            "未经复议直接起诉",
            "Sued without prior reconsideration",
            _RL,
            parent="litigation",
        ),
        Row(
            "litigation_after_reconsideration",
            "复议后起诉",
            "Sued after reconsideration",
            _RL,
            parent="litigation",
        ),
    ),
)

# --- Layouts -------------------------------------------------------------------------------------

LAYOUT_2021 = Layout(
    code="2021",
    title="政府信息公开工作年度报告格式（2021）",
    basis="国办公开办函〔2021〕30号",
    model_name="Report2021",
    sections=SECTIONS,
    tables=(PROACTIVE_2021, APPLICATIONS_2021, REVIEW_LITIGATION),
)

LAYOUT_2019_TRIAL = Layout(
    code="2019-trial",
    title="政府信息公开工作年度报告格式（试行）",
    basis="国办公开办函〔2019〕60号",
    model_name="Report2019Trial",
    sections=SECTIONS,
    tables=(PROACTIVE_2019, APPLICATIONS_2019, REVIEW_LITIGATION),
)

LAYOUTS: dict[str, Layout] = {layout.code: layout for layout in (LAYOUT_2021, LAYOUT_2019_TRIAL)}


def get_layout(code: str) -> Layout:
    """The layout for a `format` code; KeyError names the known ones."""
    try:
        return LAYOUTS[code]
    except KeyError:
        raise KeyError(f"unknown layout {code!r}; known: {', '.join(LAYOUTS)}") from None
