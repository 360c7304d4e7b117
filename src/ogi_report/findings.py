"""Finding and ValidationResult: what validation returns (frozen, JSON-serialisable)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from ogi_report.model.report import Explanation
from ogi_report.notes import ReadingNote

Lang = Literal["zh", "en"]
Value = int | Decimal | str | None
# A message parameter: a value, a wording in both languages ({"zh": …, "en": …}) or a list.
Param = Value | dict[str, Value] | list[Value]


class Severity(StrEnum):
    ERROR = "error"  # the report contradicts itself or the format
    WARNING = "warning"  # implausible or incomplete; may be legitimate


def fingerprint(rule: str, cells: Iterable[str], layout: str) -> str:
    """A finding's stable name: the first 16 hex digits of SHA-256 over the layout code, the rule id
    and the sorted distinct cells, joined by U+001F. Never messages or values, so it is the same
    across runs, languages and library versions as long as the rule names the same cells."""
    key = "\x1f".join([layout, rule, *sorted(set(cells))])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class Finding(BaseModel):
    """One problem found in one report: which rule, which cells, what was stated and expected."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(description="Stable rule id from the catalogue, e.g. T3-BALANCE")
    severity: Severity
    cells: tuple[str, ...] = Field(
        description="Cells involved as table.row.column codes (or metadata paths); the first is "
        "the cell the finding is about"
    )
    stated: Value = Field(None, description="The value the report states")
    expected: Value = Field(None, description="The value the rule expects, where it is determined")
    blanks: tuple[str, ...] = Field((), description="Cells involved that were blank (unknown)")
    fill: dict[str, Value] = Field(
        default_factory=dict,
        description="Blank cell -> the value it must take for the rule to hold, where determined",
    )
    message_zh: str = Field(description="Message in Chinese")
    message_en: str = Field(description="Message in English")
    report: str | None = Field(None, description="Report id or source the finding belongs to")
    source_cells: dict[str, str] = Field(
        default_factory=dict, description="Cell path -> place in the source (e.g. 表三!D12)"
    )
    # Not validated: built by the rules from values already checked, and validating nested unions
    # per finding would double the time of a report with many findings.
    params: SkipValidation[dict[str, Param]] = Field(
        default_factory=dict,
        description="The values the messages are made from, by the name their templates use (a "
        'wording that differs by language as {"zh": …, "en": …})',
    )
    url: str | None = Field(None, description="Where the rule is documented (docs/rules.md#rule-id)")

    def message(self, lang: Lang = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en

    def fingerprint(self, layout: str) -> str:
        """This finding's stable fingerprint in a report of `layout` (see `fingerprint`)."""
        return fingerprint(self.rule, self.cells, layout)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """The documented output shape (keys rule, severity, cells, stated, expected, message…)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "cells": list(self.cells),
            "stated": _json_value(self.stated),
            "expected": _json_value(self.expected),
            "blanks": list(self.blanks),
            "fill": {k: _json_value(v) for k, v in self.fill.items()},
            "message": self.message(lang),
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "source_cells": dict(self.source_cells),
            "params": {k: _json_param(v) for k, v in self.params.items()},
            "url": self.url,
        }


def _json_value(value: Value) -> int | str | None:
    return format(value, "f") if isinstance(value, Decimal) else value


def _json_param(value: Param) -> Any:
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return _json_value(value)


class ValidationResult(BaseModel):
    """Every finding for one report, in catalogue order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str | None = None
    findings: tuple[Finding, ...] = ()
    notes: tuple[ReadingNote, ...] = Field(
        (),
        description="How the source was read where it was not laid out exactly as the official "
        "tables (a retyped label, moved rows, a row not found): warnings about the reading itself",
    )
    layout: str | None = Field(None, description="Layout code of the report validated, where known")
    explanations: tuple[Explanation, ...] = Field(
        (), description="The report's explanations of findings (matched by fingerprint)"
    )

    def fingerprint(self, finding: Finding) -> str | None:
        """The finding's fingerprint, when the layout is known."""
        return None if self.layout is None else finding.fingerprint(self.layout)

    def explanation(self, finding: Finding) -> Explanation | None:
        """The report's explanation of this finding, if it gives one."""
        mark = self.fingerprint(finding)
        return next((e for e in self.explanations if e.fingerprint == mark), None)

    @property
    def explained(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if self.explanation(f) is not None)

    @property
    def stale(self) -> tuple[Explanation, ...]:
        """Explanations whose finding no longer occurs."""
        marks = {self.fingerprint(f) for f in self.findings}
        return tuple(e for e in self.explanations if e.fingerprint not in marks)

    @property
    def accepted(self) -> bool:
        """True when every error finding is explained (`ogi validate --accept-explained`)."""
        return all(self.explanation(f) is not None for f in self.errors)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not self.errors

    def counts(self) -> Counter[tuple[str, Severity]]:
        return Counter((f.rule, f.severity) for f in self.findings)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "explained": len(self.explained),
            "findings": [self._finding_dict(f, lang) for f in self.findings],
            "notes": [n.to_dict(lang) for n in self.notes],
            "stale_explanations": [e.model_dump(mode="json") for e in self.stale],
        }

    def _finding_dict(self, finding: Finding, lang: Lang) -> dict[str, Any]:
        explanation = self.explanation(finding)
        return {
            **finding.to_dict(lang),
            "fingerprint": self.fingerprint(finding),
            "explanation": None if explanation is None else explanation.text,
        }
