"""docs/rules.md in full: the rule catalogue's documentation and the package structure checks."""

from __future__ import annotations

from pathlib import Path

from ogi_report.package.escape import ESCAPE_NOTE
from ogi_report.package.structure import STRUCTURAL_CODES
from ogi_report.rules.docs import CASES_DIR, rules_markdown


def structure_markdown() -> str:
    rows = "\n".join(f"| `{code}` | {words} |" for code, words in STRUCTURAL_CODES.items())
    return (
        "# Package structure checks\n\n"
        "`ogi validate DIR/datapackage.json` first checks a received package's structure, reporting "
        "errors under the codes frictionless uses (all of severity `error`), then runs every rule "
        "above on each report. A type or constraint error in a cell is also seen by the rules "
        "(`CELL-TYPE`, `CELL-NEGATIVE`).\n\n"
        f"**Text fields** (every `string` field of the Table Schemas). {ESCAPE_NOTE} The structure "
        "is checked on the text as written; the rules read it unescaped.\n\n"
        "| code | meaning |\n|---|---|\n" + rows + "\n"
    )


def rules_documentation(cases: Path = CASES_DIR) -> str:
    """What `ogi rules --markdown` writes to docs/rules.md."""
    return rules_markdown(cases, appendix=structure_markdown())
