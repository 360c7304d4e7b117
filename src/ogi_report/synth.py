"""Synthetic reports: plausible, fully consistent reports in the JSON interchange shape, with errors
injected at a chosen rate and recorded together with the rules they must trigger.

Every row, column and section code comes from the layout registry and every injected error's rules
from the rule catalogue. Codes spelled out below are anchors or tuning knobs (how often a row or a
column is used), checked against the registry at import, so a typo fails loudly and a row added to a
layout is still generated.

Generation is plain `random`, seeded per report from (seed, index): the same arguments give the same
reports, report i does not depend on how many reports are asked for, and no pydantic model is built.
"""

from __future__ import annotations

import errno
import json
import math
import multiprocessing
import os
import random
from bisect import bisect
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

from ogi_report.facts import CREDIT_CODE_ALPHABET, credit_code_check_char, deadline, expected_format
from ogi_report.fileio import Output, writing
from ogi_report.layout import LAYOUTS, TEXT_SECTIONS, CellKind, Layout, Table
from ogi_report.rules.catalogue import CATALOGUE, RULES, identity_instances
from ogi_report.workers import can_fork, cpus

Scalar: TypeAlias = int | str | None

# --- Anchors of the standard (checked against the registry below) -----------------------------

RESULTS = "results"  # the group row of table 三 holding every outcome row
NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT = (
    "new_received",
    "carried_in",
    "total_handled",
    "carried_out",
)
TOTAL = "total"  # last column of tables 三 and 四
NO_FEE = "other_no_fee"  # 2021: dropped for an unpaid fee; section 六 must then mention fees
AGENCY_CODE_PATH = "agency.code"

# --- Injected error kinds and the check rules they trigger on top of the cell's identities ---------

KINDS: tuple[str, ...] = ("changed", "negative", "blank", "unit-text", "bad-check-char")
_KIND_CHECK: dict[str, str | None] = {
    "changed": None,  # only the identities the cell takes part in
    "negative": "CELL-NEGATIVE",
    "blank": "CELL-MISSING",
    "unit-text": "CELL-TYPE",
    "bad-check-char": "AGENCY-CODE",
}
_RULE_ORDER = {rule.id: i for i, rule in enumerate(CATALOGUE)}
LATE_ADOPTER_SHARE = 0.01  # reports after 2020 still on the 2019-trial layout (FORMAT-YEAR warning)
CREDIT_CODE_SHARE = 0.7
MAX_REQUESTS = 50_000

# --- Tuning knobs: relative frequencies keyed by registry codes ---------------------------------

# Applicant columns of table 三: natural persons dominate.
_APPLICANT_WEIGHT = {
    "natural_person": 0.82,
    "business": 0.09,
    "research": 0.005,
    "nonprofit": 0.01,
    "legal_service": 0.045,
    "other_org": 0.03,
}
# Outcome rows of table 三 (both layouts): 予以公开 and 本机关不掌握 most common.
_OUTCOME_WEIGHT = {
    "granted": 0.36,
    "partially_granted": 0.07,
    "denied_state_secret": 0.002,
    "denied_law_prohibited": 0.006,
    "denied_security_stability": 0.002,
    "denied_third_party": 0.01,
    "denied_internal_affairs": 0.008,
    "denied_process_info": 0.015,
    "denied_enforcement_file": 0.005,
    "denied_admin_query": 0.015,
    "unavailable_not_held": 0.26,
    "unavailable_needs_creation": 0.04,
    "unavailable_unclear": 0.02,
    "not_processed_complaint": 0.05,
    "not_processed_repeat": 0.03,
    "not_processed_publication": 0.008,
    "not_processed_excessive": 0.008,
    "not_processed_confirmation": 0.008,
    "other_handling": 0.06,  # 2019-trial: one row
    "other_no_correction": 0.03,
    "other_no_fee": 0.004,
    "other_misc": 0.026,
}
_DEFAULT_WEIGHT = 0.005
# Table 四: expected cases per new application, and how the cases end.
_REVIEW_RATE = {
    "reconsideration": 0.012,
    "litigation_direct": 0.006,
    "litigation_after_reconsideration": 0.003,
}
_REVIEW_RESULT_WEIGHT = {"upheld": 0.6, "corrected": 0.1, "other": 0.15, "pending": 0.15}


@dataclass(frozen=True)
class _Activity:
    """Table 二 row: the year's activity of a county government (scale 1), lognormal."""

    median: float
    sigma: float
    zero_share: float  # of departments reporting none (governments always report some)
    price: float = 1.0  # money per unit of activity, in the money column's unit
    rule_makers_only: bool = False


_PROACTIVE_ACTIVITY = {
    "regulations": _Activity(3, 0.8, 0.3, rule_makers_only=True),
    "normative_documents": _Activity(6, 0.9, 0.35),
    "licensing": _Activity(5000, 1.0, 0.45),
    "other_services": _Activity(1500, 1.2, 0.5),
    "penalty": _Activity(600, 1.2, 0.45),
    "coercion": _Activity(25, 1.3, 0.6),
    "fees": _Activity(300, 1.5, 0.55, price=1.0),  # 2021: 万元 collected; 2019-trial: items
    "procurement": _Activity(80, 1.0, 0.3, price=150_000.0),  # yuan per procurement item
}
_DEFAULT_ACTIVITY = _Activity(10, 1.0, 0.5)
# Table 二 columns by role: the year's flow, what left it, the stock at the year's end, items.
_COLUMN_ROLE = {
    "issued": "flow",
    "repealed": "outflow",
    "in_force": "stock",
    "decisions": "flow",
    "new_made": "flow",
    "new_published": "published",
    "total_published": "stock",
    "prior_year_items": "items",
    "items": "flow",
}


def _check_registry() -> None:
    for layout in LAYOUTS.values():
        apps = layout.table("applications")
        rows = {r.code for r in apps.data_rows}
        assert {NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT} <= rows
        assert apps.columns[-1].code == TOTAL
        assert TOTAL_HANDLED in {r.code for r in apps.descendants(RESULTS)}
        assert set(_APPLICANT_WEIGHT) <= {c.code for c in apps.columns[:-1]}
        for row in layout.table("review_litigation").data_rows:
            assert row.columns[-1] == TOTAL
    app_rows = {r.code for lay in LAYOUTS.values() for r in lay.table("applications").data_rows}
    assert set(_OUTCOME_WEIGHT) <= app_rows
    assert NO_FEE in {r.code for r in LAYOUTS["2021"].table("applications").data_rows}
    review = {r.code for lay in LAYOUTS.values() for r in lay.table("review_litigation").data_rows}
    assert set(_REVIEW_RATE) <= review
    review_cols = {c.code for lay in LAYOUTS.values() for c in lay.table("review_litigation").columns}
    assert set(_REVIEW_RESULT_WEIGHT) <= review_cols
    proactive = [lay.table("proactive") for lay in LAYOUTS.values()]
    assert set(_PROACTIVE_ACTIVITY) <= {r.code for t in proactive for r in t.data_rows}
    assert set(_COLUMN_ROLE) <= {c.code for t in proactive for c in t.columns}
    assert set(_KIND_CHECK) == set(KINDS)
    assert all(rule is None or rule in RULES for rule in _KIND_CHECK.values())


_check_registry()

# --- Agencies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    level: str
    kind: str
    share: float
    requests: float  # median new applications a year
    scale: float  # table 二 activity relative to a county government
    makes_rules: bool = False  # issues 规章


_PROFILES = (
    _Profile("township", "government", 0.22, 1.5, 0.04),
    _Profile("county", "government", 0.04, 40, 1.0),
    _Profile("county", "department", 0.46, 3, 0.12),
    _Profile("prefectural", "government", 0.015, 150, 2.5, makes_rules=True),
    _Profile("prefectural", "department", 0.2, 8, 0.3),
    _Profile("provincial", "government", 0.002, 800, 4.0, makes_rules=True),
    _Profile("provincial", "department", 0.05, 30, 0.6),
    _Profile("central", "department", 0.003, 400, 1.0, makes_rules=True),
)
_PROFILE_CUM = list(accumulate(p.share for p in _PROFILES))

_PLACE_FIRST = "青云石河安平清永兴宁临长东金玉龙凤白桃松"
_PLACE_SECOND = "山川阳溪江源丰林泉湖城水岭原塘桥"
_PLACE_SUFFIX = {
    "provincial": ("省",),
    "prefectural": ("市",),
    "county": ("县", "县", "区", "市"),
    "township": ("镇", "镇", "乡"),
}
_DEPARTMENTS = (
    "发展和改革",
    "教育",
    "科学技术",
    "工业和信息化",
    "公安",
    "民政",
    "司法",
    "财政",
    "人力资源和社会保障",
    "自然资源",
    "生态环境",
    "住房和城乡建设",
    "交通运输",
    "水利",
    "农业农村",
    "商务",
    "文化和旅游",
    "卫生健康",
    "退役军人事务",
    "应急管理",
    "审计",
    "市场监督管理",
    "统计",
    "医疗保障",
    "林业",
)
_PROVINCE_PREFIXES = tuple(f"{n}" for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37))
_PROVINCE_PREFIXES += tuple(f"{n}" for n in (41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997 organisation code check


def _place(rng: random.Random) -> str:
    return rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)


def _division_code(rng: random.Random, level: str) -> str:
    if level == "central":
        return "100000"
    province = rng.choice(_PROVINCE_PREFIXES)
    if level == "provincial":
        return province + "0000"
    city = f"{rng.randint(1, 18):02d}"
    if level == "prefectural":
        return province + city + "00"
    return province + city + f"{rng.randint(1, 30):02d}"


def _credit_code(rng: random.Random, division: str) -> str:
    """11 (机关) + division + a GB 11714 organisation code + the GB 32100 check character."""
    org = f"{rng.randrange(100_000_000):08d}"
    check = 11 - sum(int(d) * w for d, w in zip(org, _ORG_WEIGHTS, strict=True)) % 11
    body = "11" + division + org + ("X" if check == 10 else "0" if check == 11 else str(check))
    return body + credit_code_check_char(body)


def _agency(rng: random.Random, profile: _Profile) -> dict[str, Any]:
    level, kind = profile.level, profile.kind
    if level == "central":
        name = f"国家{rng.choice(_DEPARTMENTS)}管理局"
    else:
        area = _place(rng) + rng.choice(_PLACE_SUFFIX[level])
        if kind == "government":
            name = f"{area}人民政府"
        else:
            name = f"{area}{rng.choice(_DEPARTMENTS)}{'厅' if level == 'provincial' else '局'}"
    division = _division_code(rng, level)
    code = _credit_code(rng, division) if rng.random() < CREDIT_CODE_SHARE else None
    return {"name": name, "code": code, "division_code": division, "level": level, "kind": kind}


def _published(rng: random.Random, year: int, kind: str) -> str:
    """On or before the deadline, most in its last weeks."""
    due = deadline(year, kind).toordinal()
    window = due - date(year + 1, 1, 4).toordinal()
    return date.fromordinal(due - int(window * rng.random() ** 2)).isoformat()


# --- Random counts -----------------------------------------------------------------------------


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean >= 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _binomial(rng: random.Random, n: int, p: float) -> int:
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n <= 30:  # exact: count successes by jumping over geometric gaps of failures
        rand, scale, k = rng.random, 1.0 / math.log1p(-p), 0
        i = int(math.log(1.0 - rand()) * scale)
        while i < n:
            k += 1
            i += 1 + int(math.log(1.0 - rand()) * scale)
        return k
    if n * p < 15:
        return min(n, _poisson(rng, n * p))
    if n * (1 - p) < 15:
        return n - min(n, _poisson(rng, n * (1 - p)))
    return min(n, max(0, round(rng.gauss(n * p, math.sqrt(n * p * (1 - p))))))


def _multinomial(rng: random.Random, n: int, weights: Sequence[float], cum: Sequence[float]) -> list[int]:
    """n draws over the categories: one by one when few, else by conditional binomials.
    `cum` is `_cum(weights)`."""
    counts = [0] * len(weights)
    if n <= 0:
        return counts
    if n <= 30:
        rand = rng.random
        for _ in range(n):
            counts[bisect(cum, rand())] += 1
        return counts
    left, mass, last = n, sum(weights), len(weights) - 1
    for i, w in enumerate(weights):
        if i == last or w >= mass:
            counts[i] = left
            break
        x = _binomial(rng, left, w / mass)
        counts[i], left, mass = x, left - x, mass - w
        if left == 0:
            break
    return counts


def _lognormal_int(rng: random.Random, median: float, sigma: float, cap: int) -> int:
    return min(cap, int(median * math.exp(rng.gauss(0.0, sigma))))


def _money(fen: int, unit: str | None) -> str:
    """An amount given in fen (0.01 yuan), written in the column's unit with every digit."""
    if unit == "万元":
        return f"{fen // 1_000_000}.{fen % 1_000_000:06d}"
    return f"{fen // 100}.{fen % 100:02d}"


# --- Tables ------------------------------------------------------------------------------------


_Cell: TypeAlias = tuple[str, str, str, str, CellKind, str | None]  # path, table, row, column, kind, unit


@dataclass(frozen=True, eq=False)
class _Plan:
    """What one layout needs at generation time, derived once from the registry and catalogue."""

    layout: Layout
    app_columns: tuple[str, ...]  # applicant columns, total last
    app_weights: tuple[float, ...]  # of the columns except total
    app_cum: tuple[float, ...]
    outcomes: tuple[str, ...]
    outcome_weights: tuple[float, ...]
    outcome_cum: tuple[float, ...]
    app_slots: tuple[tuple[str, int], ...]  # data row -> position in the outcomes, then the anchors
    zero_row: dict[str, int]
    identity_rules: dict[str, tuple[str, ...]]  # cell path -> identities it takes part in
    cells: tuple[_Cell, ...]
    count_cells: tuple[int, ...]  # positions in `cells`
    identity_cells: tuple[int, ...]


def _cum(weights: Sequence[float]) -> tuple[float, ...]:
    """Cumulative shares, the last exactly 1.0: `bisect(cum, random())` picks a category."""
    total = sum(weights)
    return (*(x / total for x in accumulate(weights[:-1])), 1.0)


def _make_plan(layout: Layout) -> _Plan:
    apps = layout.table("applications")
    items = tuple(c.code for c in apps.columns[:-1])
    app_weights = tuple(_APPLICANT_WEIGHT.get(c, _DEFAULT_WEIGHT) for c in items)
    outcomes = tuple(r.code for r in apps.descendants(RESULTS) if r.code != TOTAL_HANDLED)
    outcome_weights = tuple(_OUTCOME_WEIGHT.get(r, _DEFAULT_WEIGHT) for r in outcomes)
    anchors = (NEW_RECEIVED, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT)  # after the outcomes, in this order
    slots = {code: i for i, code in enumerate((*outcomes, *anchors))}
    found: dict[str, set[str]] = {}
    for inst in identity_instances(layout):
        for path in inst.paths:
            found.setdefault(path, set()).add(inst.rule.id)
    identity_rules = {p: tuple(sorted(ids, key=_RULE_ORDER.__getitem__)) for p, ids in found.items()}
    cells = tuple(
        (f"{t.code}.{r.code}.{c.code}", t.code, r.code, c.code, c.kind, c.unit)
        for t in layout.tables
        for r, c in t.cells()
    )
    return _Plan(
        layout=layout,
        app_columns=tuple(c.code for c in apps.columns),
        app_weights=app_weights,
        app_cum=_cum(app_weights),
        outcomes=outcomes,
        outcome_weights=outcome_weights,
        outcome_cum=_cum(outcome_weights),
        app_slots=tuple((r.code, slots[r.code]) for r in apps.data_rows),
        zero_row=dict.fromkeys((c.code for c in apps.columns), 0),
        identity_rules=identity_rules,
        cells=cells,
        count_cells=tuple(i for i, cell in enumerate(cells) if cell[4] is CellKind.COUNT),
        identity_cells=tuple(i for i, cell in enumerate(cells) if cell[0] in identity_rules),
    )


_PLANS = {code: _make_plan(layout) for code, layout in LAYOUTS.items()}


_ColumnSpec: TypeAlias = tuple[str, str, float, str | None]  # code, role, fen per unit, unit
_RowSpec: TypeAlias = tuple[str, _Activity, tuple[_ColumnSpec, ...], bool]  # ..., money from the count


@cache
def _proactive_spec(table: Table) -> tuple[_RowSpec, ...]:
    specs: list[_RowSpec] = []
    for row in table.data_rows:
        columns: list[_ColumnSpec] = []
        for code in row.columns:
            column = table.column(code)
            role = {CellKind.MONEY: "money", CellKind.SIGNED: "signed"}.get(column.kind)
            fen = 1_000_000.0 if column.unit == "万元" else 100.0
            columns.append((code, role or _COLUMN_ROLE.get(code, "flow"), fen, column.unit))
        counted = any(role == "flow" for _, role, _, _ in columns)
        specs.append(
            (row.code, _PROACTIVE_ACTIVITY.get(row.code, _DEFAULT_ACTIVITY), tuple(columns), counted)
        )
    return tuple(specs)


def _proactive(rng: random.Random, table: Table, profile: _Profile) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    region = profile.kind == "government"
    rand = rng.random
    for code, act, columns, counted in _proactive_spec(table):
        idle = act.rule_makers_only and not profile.makes_rules
        if idle or (not region and rand() < act.zero_share):  # a government reports for its area
            out[code] = {c: _money(0, unit) if role == "money" else 0 for c, role, _, unit in columns}
            continue
        level = act.median * profile.scale * math.exp(rng.gauss(0.0, act.sigma))
        flow = int(level)
        cells: dict[str, Any] = {}
        for column, role, fen, unit in columns:
            if role == "money":  # priced per counted item when the row counts them
                cells[column] = _money(int((flow if counted else level) * act.price * fen * rand() * 2), unit)
            elif role == "signed":
                cells[column] = round(rng.gauss(0.0, 1.0 + math.sqrt(level) * 0.3))
            elif role == "outflow":
                cells[column] = int(flow * rand() * 0.6)
            elif role == "published":
                cells[column] = flow - int(flow * rand() * 0.1)
            elif role == "stock":
                cells[column] = flow + int(level * (2 + 8 * rand()))
            elif role == "items":
                cells[column] = int(math.sqrt(level) * (1 + 3 * rand()))
            else:
                cells[column] = flow
        out[code] = cells
    return out


def _applications(rng: random.Random, plan: _Plan, profile: _Profile) -> dict[str, dict[str, int]]:
    """Table 三: applications (new and carried in) by applicant column, each handled or carried out.
    Every identity holds by construction."""
    rand = rng.random
    k = len(plan.app_weights)
    new_total = _lognormal_int(rng, profile.requests, 1.5, MAX_REQUESTS)
    in_total = _poisson(rng, new_total * 0.1 * rand())
    out_share = 0.1 * rand()
    weights, cum = plan.outcome_weights, plan.outcome_cum
    if new_total > 50:  # a large agency has its own mix of outcomes
        weights = tuple(w * math.exp(rng.gauss(0.0, 0.4)) for w in weights)
        cum = _cum(weights)
    matrix: list[list[int] | None] = [None] * len(weights)
    new, carried_in, handled, carried_out = [0] * k, [0] * k, [0] * k, [0] * k
    if new_total + in_total <= 30:  # the common case: one application at a time
        app_cum = plan.app_cum
        for j in range(new_total + in_total):
            c = bisect(app_cum, rand())
            if j < new_total:
                new[c] += 1
            else:
                carried_in[c] += 1
            if rand() < out_share:
                carried_out[c] += 1
                continue
            handled[c] += 1
            row = matrix[i := bisect(cum, rand())]
            if row is None:
                row = matrix[i] = [0] * k
            row[c] += 1
    else:
        new = _multinomial(rng, new_total, plan.app_weights, plan.app_cum)
        carried_in = _multinomial(rng, in_total, plan.app_weights, plan.app_cum)
        for c in range(k):
            carried_out[c] = gone = _binomial(rng, new[c] + carried_in[c], out_share)
            handled[c] = done = new[c] + carried_in[c] - gone
            for i, x in enumerate(_multinomial(rng, done, weights, cum)):
                if x:
                    row = matrix[i]
                    if row is None:
                        row = matrix[i] = [0] * k
                    row[c] += x
    values = [*matrix, new, carried_in, handled, carried_out]
    columns, zero = plan.app_columns, plan.zero_row
    return {
        code: zero.copy()
        if (cells := values[slot]) is None
        else dict(zip(columns, (*cells, sum(cells)), strict=True))
        for code, slot in plan.app_slots
    }


@cache
def _review_spec(table: Table) -> tuple[tuple[str, tuple[str, ...], float, tuple[float, ...]], ...]:
    """Per data row: code, columns, cases per new application, result weights (total excluded)."""
    specs = []
    for row in table.data_rows:
        weights = tuple(_REVIEW_RESULT_WEIGHT.get(c, 0.1) for c in row.columns[:-1])
        specs.append((row.code, row.columns, _REVIEW_RATE.get(row.code, 0.002), weights))
    return tuple(specs)


def _review_litigation(rng: random.Random, table: Table, requests: int) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for code, columns, rate, weights in _review_spec(table):
        cases = _poisson(rng, requests * rate)
        counts = _multinomial(rng, cases, weights, _cum(weights)) if cases else [0] * len(weights)
        out[code] = dict(zip(columns, (*counts, cases), strict=True))
    return out


# --- Sections ----------------------------------------------------------------------------------

_OVERVIEW = (
    "{year}年，{name}坚持以公开为常态、不公开为例外，全面推进政务公开。全年共收到政府信息公开申请{n}件。",
    "{year}年，{name}认真贯彻《中华人民共和国政府信息公开条例》，全年新收政府信息公开申请{n}件。",
    "{name}{year}年度政府信息公开工作总体平稳，全年新收政府信息公开申请{n}件，均在法定期限内答复。",
)
_PROBLEMS = (
    "政策解读的形式还不够丰富。下一步将加强培训，完善公开目录。",
    "基层政务公开标准化规范化水平有待提高，将持续推进。",
    "依申请公开答复的规范性有待加强，将进一步完善办理流程。",
    "信息发布的及时性有待提高，将健全信息发布审核机制。",
)
_OTHER = ("无。", "无其他需要报告的事项。", "本年度无其他需要报告的事项。")
_NO_FEES = "本年度未发出收费通知，未收取信息处理费。"


def _sections(
    rng: random.Random, year: int, name: str, applications: dict[str, dict[str, int]]
) -> dict[str, str]:
    no_fee = applications.get(NO_FEE)
    if no_fee is None:  # 2019-trial: section 六 had no fee statement
        other = rng.choice(_OTHER)
    elif no_fee[TOTAL]:
        notices = no_fee[TOTAL] + _poisson(rng, 1.0)
        charged = notices * 100 * rng.randint(1, 5)
        collected = charged * (notices - no_fee[TOTAL]) // notices
        other = (
            "本年度依据《政府信息公开信息处理费管理办法》"
            f"发出收费通知{notices}件，收费金额{charged}元，实际收取{collected}元。"
        )
    else:
        other = _NO_FEES
    texts = {
        "overview": rng.choice(_OVERVIEW).format(year=year, name=name, n=applications[NEW_RECEIVED][TOTAL]),
        "problems": rng.choice(_PROBLEMS),
        "other_matters": other,
    }
    return {s.code: texts.get(s.code, "（无）") for s in TEXT_SECTIONS}


# --- Reports -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Injected:
    """One error put into a report: where, what, the value before and after, and the rules (ids, in
    catalogue order) that must then give a finding naming `cell`."""

    cell: str  # `table.row.column` or `agency.code`
    kind: str  # one of KINDS
    original: Scalar
    injected: Scalar
    rules: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "kind": self.kind,
            "original": self.original,
            "injected": self.injected,
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class SynthReport:
    """One synthetic report: its data in the JSON interchange shape and the errors put into it."""

    data: dict[str, Any]
    broken: tuple[Injected, ...] = ()


def _rules_for(plan: _Plan, path: str, kind: str) -> tuple[str, ...]:
    check = _KIND_CHECK[kind]
    ids = (*plan.identity_rules.get(path, ()), *((check,) if check else ()))
    return tuple(sorted(ids, key=_RULE_ORDER.__getitem__))


def _inject(rng: random.Random, data: dict[str, Any], plan: _Plan) -> Injected:
    kind = rng.choice(KINDS)
    if kind == "bad-check-char":
        agency = data["agency"]
        original = agency["code"]
        valid = original or _credit_code(rng, agency["division_code"])
        wrong = rng.choice(CREDIT_CODE_ALPHABET.replace(valid[17], ""))
        agency["code"] = valid[:17] + wrong
        return Injected(
            AGENCY_CODE_PATH, kind, original, agency["code"], _rules_for(plan, AGENCY_CODE_PATH, kind)
        )
    pool = {"changed": plan.identity_cells, "negative": plan.count_cells}.get(kind)
    path, table, row, column, cell_kind, unit = plan.cells[
        rng.choice(pool) if pool else rng.randrange(len(plan.cells))
    ]
    cells = data[table][row]
    value = cells[column]
    new: Scalar
    if kind == "changed":
        delta = rng.choice((1, 1, 2, 3, 5, 10)) * (1 if value < 10 or rng.random() < 0.5 else -1)
        new = value + delta if value + delta >= 0 else value + abs(delta)
    elif kind == "negative":
        new = -value if value > 0 else -rng.randint(1, 9)
    elif kind == "blank":
        new = None
    else:  # unit-text
        new = f"{value}{unit or '元'}" if cell_kind is CellKind.MONEY else f"{value}件"
    cells[column] = new
    return Injected(path, kind, value, new, _rules_for(plan, path, kind))


def synth_report(index: int, *, seed: int, year: int, error_rate: float = 0.0) -> SynthReport:
    """Report `index` (0-based) of `synth_reports(..., seed=seed)`, made alone."""
    if index < 0:
        raise ValueError(f"index must be >= 0, not {index}")
    _checked(0, error_rate, (year,))
    rng = random.Random(f"ogi-synth:{seed}:{index}")  # noqa: S311 - made-up data, not secrets
    return _report(rng, index, seed, year, error_rate)


def _report(rng: random.Random, index: int, seed: int, year: int, error_rate: float) -> SynthReport:
    layout_code = expected_format(year)
    if layout_code != "2019-trial" and rng.random() < LATE_ADOPTER_SHARE:
        layout_code = "2019-trial"
    plan = _PLANS[layout_code]
    layout = plan.layout
    profile = _PROFILES[min(bisect(_PROFILE_CUM, rng.random() * _PROFILE_CUM[-1]), len(_PROFILES) - 1)]
    agency = _agency(rng, profile)
    applications = _applications(rng, plan, profile)
    requests = applications[NEW_RECEIVED][TOTAL]
    scope = "region" if profile.kind == "government" and rng.random() < 0.8 else "agency"
    source = f"https://xxgk.example.gov.cn/{agency['division_code']}/ndbg/{year}-{index + 1}.html"
    tables = {
        "proactive": _proactive(rng, layout.table("proactive"), profile),
        "applications": applications,
        "review_litigation": _review_litigation(rng, layout.table("review_litigation"), requests),
    }
    data: dict[str, Any] = {
        "format": layout.code,
        "year": year,
        "agency": agency,
        "scope": scope,
        "published": _published(rng, year, profile.kind),
        "source_url": source if rng.random() < 0.5 else None,
        "sections": _sections(rng, year, agency["name"], applications),
        **{t.code: tables[t.code] for t in layout.tables},
        "_note": f"Synthetic report (ogi synth, seed {seed}, #{index + 1}): every name and figure made up.",
    }
    broken = (_inject(rng, data, plan),) if error_rate and rng.random() < error_rate else ()
    return SynthReport(data, broken)


def _checked(count: int, error_rate: float, years: Sequence[int]) -> tuple[int, ...]:
    if count < 0:
        raise ValueError(f"count must be >= 0, not {count}")
    if not 0.0 <= error_rate <= 1.0:
        raise ValueError(f"error_rate must be within 0..1, not {error_rate}")
    if not years:
        raise ValueError("at least one year is needed")
    for year in years:
        if not 2019 <= year <= 2100:
            raise ValueError(f"year {year} is outside 2019..2100")
    return tuple(years)


def _reports(indices: range, seed: int, error_rate: float, years: tuple[int, ...]) -> Iterator[SynthReport]:
    rng = random.Random()  # noqa: S311 - made-up data, not secrets
    for index in indices:
        rng.seed(f"ogi-synth:{seed}:{index}")
        yield _report(rng, index, seed, years[index % len(years)], error_rate)


def synth_reports(
    count: int, *, seed: int, error_rate: float = 0.0, years: Sequence[int] = (2024,)
) -> Iterator[SynthReport]:
    """`count` synthetic reports, spread evenly (round robin) over `years`.

    Each report is consistent (no finding but FORMAT-YEAR for the ~1% late adopters of 2019-trial
    after 2020) unless it carries an injected error, which happens independently with probability
    `error_rate`; the rules listed in `broken` then give findings naming the injected cell. Report i
    depends only on (seed, i, its year, error_rate), so a shorter run is a prefix of a longer one,
    and the error is drawn after the report is made: a broken report is the report the same
    arguments give at error_rate 0 with one value changed.
    """
    return _reports(range(count), seed, error_rate, _checked(count, error_rate, years))


# --- Writing -----------------------------------------------------------------------------------

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
BLOCK = 2000  # reports per unit of work (and per progress step)

Block: TypeAlias = tuple[bytes, list[tuple[int, tuple[Injected, ...]]]]
"""JSON Lines (UTF-8) of consecutive reports, and (0-based index, injected errors) of the broken ones."""


_Job: TypeAlias = tuple[int, int, int, float, tuple[int, ...]]  # start, stop, seed, error_rate, years


def to_line(report: SynthReport) -> str:
    """A report as one JSON line (no newline): UTF-8 text, compact separators."""
    return _ENCODE(report.data)


def _block(job: _Job) -> Block:
    start, stop, seed, error_rate, years = job
    lines: list[str] = []
    broken: list[tuple[int, tuple[Injected, ...]]] = []
    for report in _reports(range(start, stop), seed, error_rate, years):
        if report.broken:
            broken.append((start + len(lines), report.broken))
        lines.append(_ENCODE(report.data))
    return "".join(line + "\n" for line in lines).encode(), broken


def synth_blocks(
    count: int,
    *,
    seed: int,
    error_rate: float = 0.0,
    years: Sequence[int] = (2024,),
    workers: int | None = None,
) -> Generator[Block, None, None]:
    """The reports of `synth_reports` as JSON Lines (UTF-8), `BLOCK` reports at a time, in order.

    With more than one worker (default: one per CPU, when the platform forks and there is more than
    one block), blocks are made in worker processes; the text is the same whatever the workers."""
    checked = _checked(count, error_rate, years)
    jobs = [(i, min(i + BLOCK, count), seed, error_rate, checked) for i in range(0, count, BLOCK)]
    n = workers if workers is not None else cpus()
    if n <= 1 or len(jobs) < 2 or not can_fork():
        return _in_process(jobs)
    return _in_pool(jobs, min(n, len(jobs)))


def _in_process(jobs: list[_Job]) -> Generator[Block, None, None]:
    yield from map(_block, jobs)


def _in_pool(jobs: list[_Job], workers: int) -> Generator[Block, None, None]:
    with multiprocessing.get_context("fork").Pool(workers) as pool:  # terminated on close()
        yield from pool.imap(_block, jobs)


def injected_path(path: str | Path) -> Path:
    """The sidecar listing the injected errors of a JSON Lines file: `<FILE>.injected.json`."""
    target = Path(path)
    return target.with_name(target.name + ".injected.json")


def _write(handle: BinaryIO, chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        handle.write(chunk)


def write_synth(
    path: str | Path,
    count: int,
    *,
    seed: int,
    error_rate: float = 0.0,
    years: Sequence[int] = (2024,),
    workers: int | None = None,
    injected: str | Path | bool = True,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Write `synth_reports(...)` as JSON Lines to `path` and their injected errors to the sidecar
    `injected` (True: `injected_path(path)`; False: none), each written as `fileio.writing` writes:
    a regular file atomically (temporary file beside it, then os.replace; nothing is left behind
    on failure), a device, pipe or socket in place. Returns the sidecar's content: 1-based line
    number (as text) -> the injected errors of that line. `progress(done)` is called after each
    block of reports."""
    target = Path(path)
    sidecar = injected_path(target) if injected is True else Path(injected) if injected else None
    for name in (target, sidecar):  # fail before the work, not at os.replace with one file replaced
        if name is not None and name.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(name))
    blocks = synth_blocks(count, seed=seed, error_rate=error_rate, years=years, workers=workers)
    errors: dict[str, list[dict[str, Any]]] = {}
    done = 0

    def texts() -> Iterator[bytes]:
        nonlocal done
        for text, broken in blocks:
            yield text
            for index, broken_errors in broken:
                errors[str(index + 1)] = [e.to_dict() for e in broken_errors]
            done = min(done + BLOCK, count)
            if progress is not None:
                progress(done)

    try:
        with writing(target) as lines, ExitStack() as stack:
            side: Output | None = None if sidecar is None else stack.enter_context(writing(sidecar))
            _write(lines.handle, texts())
            if side is None:
                lines.commit()
                return errors
            _write(side.handle, [(json.dumps(errors, ensure_ascii=False, indent=1) + "\n").encode()])
            # Two renames cannot be one: the old sidecar goes first, so that a kill in between
            # leaves a JSON Lines file without a sidecar, never one beside another file's sidecar.
            side.remove_old()
            lines.commit()
            side.commit()
    finally:
        blocks.close()  # stops the worker pool, if any, when writing failed half way
    return errors
