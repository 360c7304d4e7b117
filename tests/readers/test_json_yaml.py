"""JSON and YAML text to plain data: exact money, and hostile text bounded."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from ogi_report.errors import ReportError
from ogi_report.limits import use_limits
from ogi_report.readers import parse_report
from ogi_report.readers.json_yaml import LongNumber, parse_json, parse_yaml
from tests.helpers import COMPLETE_2021, patched, raw

Parse = Callable[[str], Any]


@pytest.mark.parametrize("parse", [parse_json, parse_yaml])
def test_money_keeps_every_digit(parse: Parse) -> None:
    assert parse('{"a": 0.1000000000000000000001}') == {"a": Decimal("0.1000000000000000000001")}


@pytest.mark.parametrize(
    ("parse", "text"),
    [(parse_json, '{"a": {"b": 1, "b": 2}}'), (parse_yaml, "a:\n  b: 1\n  b: 2\n")],
)
def test_a_repeated_key_is_an_error(parse: Parse, text: str) -> None:
    with pytest.raises(ReportError, match="duplicate key 'b'"):
        parse(text)


def test_yaml_merge_keys_may_override() -> None:
    text = "base: &b {x: 1, y: 2}\nthis:\n  <<: *b\n  y: 3\n"
    assert parse_yaml(text)["this"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("parse", [parse_json, parse_yaml])
def test_a_decimal_longer_than_the_limit_is_kept_as_written(parse: Parse) -> None:
    with use_limits(number_digits=5):
        data = parse('{"a": 1.234, "b": 1.23456}')
    assert data["a"] == Decimal("1.234")
    assert isinstance(data["b"], LongNumber)
    assert str(data["b"]) == "1.23456"


def test_yaml_integers_longer_than_the_limit_are_kept_as_written() -> None:
    with use_limits(number_digits=5):
        data = parse_yaml("a: 12345\nb: 123456\n")
    assert data["a"] == 12345
    assert isinstance(data["b"], LongNumber)


def test_json_integers_too_long_to_convert_are_kept_as_written() -> None:
    """Integers take the JSON parser's fast path up to Python's conversion limit (4,300 digits)."""
    data = parse_json('{"a": 123456, "b": ' + "7" * 5000 + "}")
    assert data["a"] == 123456
    assert isinstance(data["b"], LongNumber)
    assert str(data["b"]) == "7" * 5000


def test_a_long_number_in_a_cell_is_cell_type_and_elsewhere_an_error() -> None:
    data = patched(raw(COMPLETE_2021), {"applications.granted.total": LongNumber("9" * 5000)})
    loaded = parse_report(data)
    assert loaded.unreadable["applications.granted.total"].startswith("9" * 100)
    with pytest.raises(ReportError, match="year"):
        parse_report(patched(raw(COMPLETE_2021), {"year": LongNumber("2" * 5000)}))


def test_yaml_aliases_are_fine_until_they_expand_past_the_limit() -> None:
    text = "a: &a [1, 2, 3]\nb: *a\nc: *a\n"
    assert parse_yaml(text) == {"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]}
    with use_limits(yaml_nodes=10), pytest.raises(ReportError, match="yaml_nodes"):
        parse_yaml(text)


def test_yaml_tags_that_construct_objects_are_refused() -> None:
    with pytest.raises(ReportError, match="could not determine a constructor"):
        parse_yaml("!!python/object/apply:os.getcwd []")


def test_empty_json_is_an_error_saying_so() -> None:
    with pytest.raises(ReportError, match="empty"):
        parse_json("  \n")


@pytest.mark.parametrize(
    ("written", "column"),
    [(r'"8\ud800"', 13), (r'"\udc00x"', 12), (r'"\ud800\u0041"', 12), (r'"\ud800\ud800"', 12)],
)
def test_a_lone_surrogate_escape_is_refused_with_its_place(written: str, column: int) -> None:
    # Half of a UTF-16 pair is no character: no UTF-8 output could hold it (it used to crash the
    # JSON output of `ogi validate`).
    text = '{\n  "a": 1,\n  "name": ' + written + "\n}"
    with pytest.raises(ReportError, match="lone UTF-16 surrogate") as caught:
        parse_json(text)
    assert caught.value.location == f"line 3 column {column}"


@pytest.mark.parametrize("written", [r'"ok \ud83d\ude00"', r'"\\ud800 is written as text"', r'"\u00e9"'])
def test_pairs_and_escaped_backslashes_are_read(written: str) -> None:
    assert parse_json('{"name": ' + written + "}")["name"].encode("utf-8")
