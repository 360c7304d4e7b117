"""parse_report_json: its one-pass path gives exactly what the exact path gives, on any text.

The one-pass path (pydantic-core parsing and validating at once) cannot see a repeated key or the
digits of a JSON float; it must hand such text to the exact path (`parse_report(parse_json(...))`).
These tests compare the two on texts built to trip it: keys written twice at every depth, colons
inside strings and written as escapes, floats, numbers too long, whitespace before colons, unknown
keys, wrong types.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_report import ReportError, parse_report
from ogi_report.model import REPORT_ADAPTER
from ogi_report.model.cells import FLOATS_REFUSED
from ogi_report.readers.json_yaml import parse_json
from ogi_report.readers.loading import _every_key_kept, _keys_and_colons, parse_report_json
from tests.helpers import COMPLETE_2021, COMPLETE_TRIAL, raw

BASES = [raw(COMPLETE_2021, decimals=False), raw(COMPLETE_TRIAL, decimals=False)]

# A JSON text as a tree whose objects are lists of (key, value) pairs, so a key can be written twice.
Pairs = list[tuple[str, Any]]


class Obj(list):  # type: ignore[type-arg]
    """An object's (key, value) pairs, in order, repeats allowed."""


def tree(value: Any) -> Any:
    if isinstance(value, dict):
        return Obj((k, tree(v)) for k, v in value.items())
    if isinstance(value, list):
        return [tree(v) for v in value]
    return value


def dump(value: Any, *, colon: str = ": ", ascii_only: bool = False) -> str:
    if isinstance(value, Obj):
        inner = ", ".join(
            f"{dump(k, ascii_only=ascii_only)}{colon}{dump(v, colon=colon, ascii_only=ascii_only)}"
            for k, v in value
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v, colon=colon, ascii_only=ascii_only) for v in value) + "]"
    if isinstance(value, Raw):
        return value.text
    return json.dumps(value, ensure_ascii=ascii_only)


class Raw:
    """JSON written as is (a float's digits, an escape)."""

    def __init__(self, text: str) -> None:
        self.text = text


def outcome(run: Any) -> Any:
    """What a parse gives, comparable: the report's data and unreadable cells, or the error."""
    try:
        loaded = run()
    except ReportError as exc:
        return ("error", exc.message, exc.location)
    return ("report", type(loaded.report).__name__, loaded.report.model_dump(), loaded.unreadable)


def both(text: str) -> tuple[Any, Any]:
    exact = outcome(lambda: parse_report(parse_json(text)))
    return outcome(lambda: parse_report_json(text)), exact


def objects(node: Any) -> list[Obj]:
    """Every object of a tree, outermost first."""
    found: list[Obj] = []
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, Obj):
            found.append(current)
            todo += [v for _, v in current]
        elif isinstance(current, list):
            todo += current
    return found


VALUES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.none(),
    st.booleans(),
    st.sampled_from(["12", "12件", "1.5", "a:b", "", "356.208143", "https://x.cn/a"]),
    st.sampled_from(["1.10", "2181.66917700000000001", "1e3", "-0.0", "1E+400", "NaN", "9" * 30]).map(Raw),
    st.sampled_from(
        ['"\\u003a"', '"a\\u003Ab"', '"\\u0031"', '"x\\"y:"', '"\\ud800"', '"\\ud83d\\ude00"', '"\\\\ud800"']
    ).map(Raw),
)
KEYS = st.sampled_from(["total", "year", "name", "natural_person", "overview", "x:y", "\\u0079ear", "format"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    root = tree(json.loads(json.dumps(draw(st.sampled_from(BASES)))))
    objs = objects(root)
    for _ in range(draw(st.integers(0, 4))):
        target = draw(st.sampled_from(objs))
        action = draw(st.sampled_from(["set", "repeat", "add", "drop"]))
        if not target:
            continue
        i = draw(st.integers(0, len(target) - 1))
        key, value = target[i]
        if action == "set" and not isinstance(value, Obj):
            target[i] = (key, draw(VALUES))
        elif action == "repeat":  # the same key again, same or other value, before or after
            again = (key, value if draw(st.booleans()) else draw(VALUES))
            target.insert(draw(st.integers(0, len(target))), again)
        elif action == "add":
            target.insert(i, (draw(KEYS), draw(VALUES)))
        elif action == "drop":
            del target[i]
    colon = draw(st.sampled_from([": ", ":", " : ", "\n:\t"]))
    return dump(root, colon=colon, ascii_only=draw(st.booleans()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
def test_one_pass_gives_what_the_exact_path_gives(text: str) -> None:
    fast, exact = both(text)
    assert fast == exact
    assert outcome(lambda: parse_report_json(text.encode("utf-8"))) == exact


def complete() -> Obj:
    root = tree(json.loads(json.dumps(BASES[0])))
    assert isinstance(root, Obj)
    return root


@pytest.mark.parametrize(
    "where", ["top", "agency", "sections", "table", "row"], ids=lambda w: f"repeated-in-{w}"
)
def test_a_key_written_twice_is_an_error_at_every_depth(where: str) -> None:
    root = complete()
    target = {
        "top": root,
        "agency": dict(root)["agency"],
        "sections": dict(root)["sections"],
        "table": dict(root)["applications"],
        "row": dict(dict(root)["applications"])["new_received"],
    }[where]
    target.append(target[0])
    with pytest.raises(ReportError, match="duplicate key"):
        parse_report_json(dump(root))


def test_an_escaped_colon_cannot_hide_a_repeated_key() -> None:
    # The escape adds a colon to a string the text does not show: the counts could balance a key
    # written twice, so such text goes the exact way.
    root = complete()
    agency = dict(root)["agency"]
    agency[0] = ("name", Raw('"a\\u003ab"'))
    agency.append(agency[1])
    with pytest.raises(ReportError, match="duplicate key"):
        parse_report_json(dump(root))


def test_an_amount_written_as_a_float_keeps_every_digit() -> None:
    root = complete()
    fees = dict(dict(root)["proactive"])["fees"]
    fees[:] = [("amount", Raw("2181.66917700000000001"))]
    loaded = parse_report_json(dump(root))
    assert loaded.report.cell("proactive.fees.amount") == Decimal("2181.66917700000000001")
    with pytest.raises(ValueError, match="JSON float"):  # the one-pass path refuses to round it
        REPORT_ADAPTER.validate_json(dump(root), context=FLOATS_REFUSED)


def test_the_one_pass_path_is_taken_for_a_clean_report() -> None:
    text = json.dumps(BASES[0], ensure_ascii=False, indent=1)
    report = REPORT_ADAPTER.validate_json(text, context=FLOATS_REFUSED)
    assert _every_key_kept(text, report)
    keys, string_colons = _keys_and_colons(report)
    assert (keys, string_colons) == (text.count('":'), text.count(":") - text.count('":'))
