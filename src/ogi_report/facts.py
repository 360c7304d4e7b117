"""Facts of the standard the rules rest on, stated once: Python reads them and the screens compile
them to SQL. A neutral module (it imports nothing of the project): the report models read it too.

Nothing here may be written a second time elsewhere: the per-report checks, the columnar screens,
the synthetic generator and the rules documentation all read these names.
"""

from __future__ import annotations

import re
from datetime import date
from operator import mul

# --- GB 32100-2015 unified social credit code ----------------------------------------------------
# 31 characters (no I, O, S, V, Z); the check character makes the weighted sum 0 modulo 31.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
CREDIT_CODE_LENGTH = len(CREDIT_CODE_WEIGHTS) + 1
_CODE_CHAR = "[0-9A-HJ-NPQRTUWXY]"
# Registration authority and kind (2), administrative division (6 digits), body (9), check (1).
CREDIT_CODE_SHAPE = f"{_CODE_CHAR}{{2}}[0-9]{{6}}{_CODE_CHAR}{{10}}"
_SHAPE = re.compile(CREDIT_CODE_SHAPE)


def credit_code_well_shaped(code: str) -> bool:
    return _SHAPE.fullmatch(code) is not None


_CODE_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}


def credit_code_check_char(code: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a code."""
    total = sum(map(mul, map(_CODE_VALUE.__getitem__, code[:17]), CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_check_sql(column: str) -> str:
    """The same computed in SQL over a text column holding a well-shaped code."""
    total = " + ".join(
        f"(instr('{CREDIT_CODE_ALPHABET}', substr({column}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(CREDIT_CODE_WEIGHTS)
    )
    return f"substr('{CREDIT_CODE_ALPHABET}', ((31 - (({total}) % 31)) % 31) + 1, 1)"


# --- publication deadlines (Regulations on Open Government Information, art. 49-50) --------------
# (month, day) of the year after the reporting year; a kind not listed (unknown, government) gets
# the later government deadline.
DEADLINES = {"department": (1, 31)}
DEFAULT_DEADLINE = (3, 31)


def deadline(year: int, kind: str | None) -> date:
    """Departments by 31 January, governments (and unknown kinds) by 31 March of the next year."""
    month, day = DEADLINES.get(kind or "", DEFAULT_DEADLINE)
    return date(year + 1, month, day)


def deadline_sql(year: str, kind: str) -> str:
    """The same in SQL over an integer year expression and a text kind column."""
    month = " ".join(f"WHEN {kind} = '{k}' THEN {m}" for k, (m, _) in DEADLINES.items())
    day = " ".join(f"WHEN {kind} = '{k}' THEN {d}" for k, (_, d) in DEADLINES.items())
    return (
        f"make_date({year} + 1, CASE {month} ELSE {DEFAULT_DEADLINE[0]} END, "
        f"CASE {day} ELSE {DEFAULT_DEADLINE[1]} END)"
    )


# --- which layout a reporting year uses ----------------------------------------------------------
LAYOUT_2021_FROM = 2021  # reports for 2021 onwards use the 2021 layout; 2019-2020 the trial one
TRIAL_LAYOUT_FROM = 2019  # the first reporting year of the trial layout
LATEST_LAYOUT, TRIAL_LAYOUT = "2021", "2019-trial"


def expected_format(year: int) -> str:
    return TRIAL_LAYOUT if year < LAYOUT_2021_FROM else LATEST_LAYOUT


def expected_format_sql(year: str) -> str:
    return f"CASE WHEN {year} < {LAYOUT_2021_FROM} THEN '{TRIAL_LAYOUT}' ELSE '{LATEST_LAYOUT}' END"


# --- fee notices (T3-FEE-NOTICE) ----------------------------------------------------------------
# Words by which section 六 reports fee notices; one pattern both Python re and DuckDB (RE2) read.
FEE_WORDS_PATTERN = "收费|缴费|费用|信息处理费"
FEE_WORDS = re.compile(FEE_WORDS_PATTERN)

# --- identities: how the screens sign their terms ------------------------------------------------
# An identity holds when D = sum(item weight * item) + sum(STATED_SIGN * stated weight * stated) = 0.
ITEM_SIGN, STATED_SIGN = 1, -1

# --- visible text (SECTION-MISSING) -------------------------------------------------------------
# A section has text when Python's str.strip() leaves something; in SQL, when the text holds a
# character strip() keeps (not whitespace, Unicode separators or the ASCII separators 1c-1f, 85,
# 0b, 0c that str.isspace() also counts).
VISIBLE_CHAR_SQL = "[^\\s\\p{Z}\\x{1c}-\\x{1f}\\x{85}\\x{0b}\\x{0c}]"


def has_visible_text(text: str | None) -> bool:
    return bool((text or "").strip())


def has_visible_text_sql(column: str) -> str:
    return f"regexp_matches(coalesce({column}, ''), '{VISIBLE_CHAR_SQL}')"
