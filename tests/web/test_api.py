"""The desk's API: `POST /api/validate` returns exactly what `ogi validate --json` prints for the
same input; schema and rules; refusals with the right status and one line; nothing left on disk."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ogi_report import CATALOGUE, report_json_schema
from ogi_report.limits import Limits
from ogi_report.web.app import CSP, guarded_app
from tests.helpers import BROKEN, EXAMPLES, ROOT, need_libreoffice

INPUTS = [
    EXAMPLES / "illustrative-2021-county.json",
    EXAMPLES / "illustrative-2021-department.yaml",
    EXAMPLES / "illustrative-2019-trial.json",
    BROKEN / "2021-county.row-total-wrong.json",
    BROKEN / "2021-county.count-with-unit.json",
    BROKEN / "2021-county.blank-cells.json",
    EXAMPLES / "sources" / "shanwei-chengqu-2024-report.txt",
    ROOT / "tests" / "fixtures" / "docx" / "official-2021-county.docx",
    ROOT / "tests" / "fixtures" / "pdf" / "agency-2021-department-split.pdf",
]


def cli_document(path: Path, *args: str) -> Any:
    """What `ogi validate --json NAME` prints, run in the file's folder (so the source is NAME)."""
    run = subprocess.run(
        [sys.executable, "-m", "ogi_report", "validate", "--json", *args, path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_upload_gives_the_cli_document(client: TestClient, path: Path) -> None:
    response = client.post("/api/validate", files={"file": (path.name, path.read_bytes())})
    assert response.status_code == 200
    assert response.json() == cli_document(path)


def test_workbook_upload_gives_the_cli_document(client: TestClient, broken_workbook: Path) -> None:
    response = client.post(
        "/api/validate?lang=en", files={"file": (broken_workbook.name, broken_workbook.read_bytes())}
    )
    document = response.json()
    assert document == cli_document(broken_workbook, "--lang", "en")
    assert document["reports"][0]["findings"][0]["source_cells"]  # sheet cells named


def test_json_body_gives_the_cli_document(client: TestClient, tmp_path: Path) -> None:
    body = (BROKEN / "2021-county.row-total-wrong.json").read_bytes()
    (tmp_path / "report.json").write_bytes(body)
    response = client.post(
        "/api/validate?published=true", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == cli_document(tmp_path / "report.json", "--published")


def test_json_lines_upload_checks_every_report(client: TestClient, tmp_path: Path) -> None:
    lines = [json.dumps(json.loads(p.read_text("utf-8"))) for p in INPUTS[3:5]]
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    response = client.post("/api/validate", files={"file": (path.name, path.read_bytes())})
    assert response.json() == cli_document(path)
    assert response.json()["summary"]["reports"] == 2


def test_schema_rules_and_openapi(client: TestClient) -> None:
    assert client.get("/api/schema/report").json() == report_json_schema()
    rules = client.get("/api/rules").json()
    assert [r["id"] for r in rules] == [r.id for r in CATALOGUE]
    assert set(rules[0]) == {"id", "severity", "scope", "layouts", "statement_zh", "statement_en", "url"}
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/validate"]["post"]["requestBody"]["content"]
    assert set(body) == {"multipart/form-data", "application/json"}
    assert client.get("/docs").status_code == 404  # the interactive docs would load a CDN


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"content": b"{", "headers": {"content-type": "application/json"}}, 422, "report.json: line 1"),
        ({"content": b"[]", "headers": {"content-type": "application/json"}}, 422, "not a report"),
        ({"content": b"x", "headers": {"content-type": "text/plain"}}, 415, "multipart/form-data"),
        ({"files": {"other": ("a.json", b"{}")}}, 400, "no file"),
        ({"files": {"file": ("a.json", b'{"format": "2021"}')}}, 422, "a.json"),
        ({"files": {"file": ("../../etc/x.json", b"\xff\xfe\x00")}}, 422, "x.json"),
        (  # found by schemathesis: a multipart body that does not parse
            {
                "content": b"--b\r\n-2e-211--b--\r\n",
                "headers": {"content-type": "multipart/form-data; boundary=b"},
            },
            400,
            "multipart",
        ),
    ],
)
def test_refusals_are_one_line_json(
    client: TestClient, kwargs: dict[str, Any], status: int, words: str
) -> None:
    response = client.post("/api/validate", **kwargs)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    message = response.json()["error"]
    assert words in message
    assert "\n" not in message
    assert "Traceback" not in message
    assert "ogi-upload-" not in message  # never the temporary path


def test_bad_query_is_422(client: TestClient) -> None:
    response = client.post(
        "/api/validate?lang=fr", content=b"{}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "lang" in response.json()["error"]


def test_over_the_limit_is_refused_before_it_is_read() -> None:
    small = TestClient(guarded_app(Limits(file_bytes=1000)), raise_server_exceptions=False)
    declared = small.post(
        "/api/validate",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(10**9)},
    )
    assert declared.status_code == 413
    assert "upload limit" in declared.json()["error"]

    def chunks() -> Any:  # no length declared: counted as it arrives, stopped past the limit
        for _ in range(100):
            yield b" " * 50_000

    streamed = small.post("/api/validate", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    page = small.post("/check", files={"file": ("big.json", b" " * 200_000)})
    assert page.status_code == 413
    assert "<html" in page.text
    just_over = small.post("/api/validate", files={"file": ("big.json", b" " * 1001)})
    assert just_over.status_code == 413
    assert "file_bytes" in just_over.json()["error"]


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("ogi-upload-*")}


def test_nothing_is_kept(client: TestClient, broken_workbook: Path) -> None:
    before = _leftovers()
    client.post("/api/validate", files={"file": ("w.xlsx", broken_workbook.read_bytes())})
    client.post("/api/validate", files={"file": ("bad.xlsx", b"PK\x03\x04 not a zip")})
    client.post("/check", files={"file": ("w.xlsx", broken_workbook.read_bytes())})
    assert _leftovers() == before


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/new?layout=2021", "/api/rules", "/static/desk.css", "/nowhere"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers or "uvicorn" not in response.headers["server"]
    assert "'unsafe-inline'" not in CSP


def test_cli_serve_help_does_not_load_the_web_stack() -> None:
    code = (
        "import sys; from ogi_report.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit: pass\n"
        "assert not {'fastapi', 'uvicorn', 'jinja2', 'starlette'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    assert shutil.which("ogi") or True


def test_a_wrong_method_names_the_allowed_ones(client: TestClient) -> None:
    response = client.request("TRACE", "/api/rules")  # found by schemathesis
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json() == {"error": "Method Not Allowed"}


REAL_PAGES = sorted((ROOT / "tests" / "fixtures" / "real").glob("*/*.txt"))


@pytest.mark.slow
def test_every_real_published_page_checks_on_the_desk_and_the_api(client: TestClient) -> None:
    """The pages agencies published (tests/fixtures/real), uploaded as a publisher would: the desk
    shows each with its tables, the API validates each as published; never an error page."""
    assert len(REAL_PAGES) >= 173
    for page in REAL_PAGES:
        upload = {"file": (page.name, page.read_bytes(), "text/plain")}
        desk = client.post("/check", data={"lang": "en"}, files=upload)
        assert desk.status_code == 200, (page.name, desk.text[:300])
        assert "<table" in desk.text
        api = client.post("/api/validate?published=true&lang=en", files=upload)
        assert api.status_code == 200, (page.name, api.text[:300])
        assert api.json()["reports"], page.name


REAL_WORD = sorted(
    (ROOT / "tests" / "fixtures" / "real").glob("*/*.as-*.*")
)  # Word files and workbooks, both kinds


@pytest.mark.parametrize("document", REAL_WORD, ids=lambda p: p.name)
def test_a_real_report_as_word_checks_on_the_desk_with_its_figures(
    client: TestClient, document: Path
) -> None:
    """A real report converted to Word or to a workbook, uploaded as its agency would: the desk shows
    its tables with the figures the published page has, and the API finds in it what it finds in the
    page."""
    if document.suffix == ".doc":
        need_libreoffice()
    kinds = {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".doc": "application/msword",
        ".xls": "application/vnd.ms-excel",
    }
    upload = {"file": (document.name, document.read_bytes(), kinds[document.suffix])}
    desk = client.post("/check", data={"lang": "zh"}, files=upload)
    assert desk.status_code == 200, desk.text[:300]
    page = document.with_name(document.name.split(".as-")[0] + ".txt")
    truth = json.loads(page.with_name(page.stem + ".truth.json").read_text("utf-8"))["cells"]
    for cell in ("applications.new_received.natural_person", "applications.total_handled.total"):
        assert f'name="{cell}" value="{truth[cell]}"' in desk.text  # table 三's figures, as published
    from_word = client.post("/api/validate?published=true", files=upload).json()["reports"][0]
    text_upload = {"file": (page.name, page.read_bytes(), "text/plain")}
    from_page = client.post("/api/validate?published=true", files=text_upload).json()["reports"][0]

    def found(report: dict[str, Any]) -> list[dict[str, Any]]:  # places are the source's own terms
        return [{k: v for k, v in f.items() if k != "source_cells"} for f in report["findings"]]

    assert found(from_word) == found(from_page)
    assert found(from_page)  # its blank cells at least
