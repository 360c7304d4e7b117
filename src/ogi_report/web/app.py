"""The desk's routes: each a few lines over the public library functions.

Pages: `/` (upload), `/new?layout=` (the official tables as a form), `POST /check` (an upload, shown
in the official layout with its findings), `POST /desk` (the form, checked again), `POST
/download/{kind}` (the form's report as JSON, Excel or HTML, or its findings as JSON). API: `POST
/api/validate` (what `ogi validate --json` prints), `GET /api/schema/report`, `GET /api/rules`,
`/openapi.json`. Nothing is kept between requests: the form carries the whole report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ogi_report.errors import ReportError
from ogi_report.findings import ValidationResult
from ogi_report.layout import LAYOUTS, Layout
from ogi_report.limits import Limits, limits, use_limits
from ogi_report.model import Report
from ogi_report.output import ValidationDocument, validation_document
from ogi_report.readers import LoadedReport, parse_report
from ogi_report.readers.dispatch import UPLOAD_SUFFIXES
from ogi_report.readers.narrative import narrative_figures
from ogi_report.rules import CATALOGUE, CATALOGUE_VERSION
from ogi_report.rules.engine import Mode
from ogi_report.schema import report_json_schema
from ogi_report.validation import validate_loaded
from ogi_report.versions import LIBRARY_VERSION
from ogi_report.web.forms import Values, empty_values, form_data, report_values
from ogi_report.web.i18n import LANGS, Lang, lang_of, text, words
from ogi_report.web.platform import mount_platform
from ogi_report.web.uploads import TooLarge, body_limit, read_json_body, read_upload
from ogi_report.web.view import desk

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
MAX_FIELDS = 3000  # a form holds about 230 inputs, and one explanation per finding
INLINE_BYTES = 256 * 1024  # JSON bodies up to this are read on the event loop, larger in a thread
Kind = Literal["report.json", "report.xlsx", "report.html", "findings.json"]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]


class ErrorBody(BaseModel):
    """What every refused request gets: the one-line message."""

    error: str = Field(description="One line: what was wrong with the request or the input")


class Guard:
    """Outermost layer: bodies over the limit are refused (413) before they are read whole, and every
    response carries the security headers (a strict Content-Security-Policy)."""

    def __init__(self, app: ASGI, most: int) -> None:
        self.app = app
        self.most = most

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.most):
            html = not scope["path"].startswith("/api/")
            response = _refusal(413, f"the request body is over the upload limit ({self.most:,} bytes)", html)
            await response(scope, receive, send_secure)
            return
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.most:
                raise HTTPException(413, f"the request body is over the upload limit ({self.most:,} bytes)")
            return message

        await self.app(scope, bounded, send_secure)


_TEMPLATES = Jinja2Templates(directory=HERE / "templates")  # autoescape on


def _refusal(status: int, message: str, html: bool) -> Response:
    one_line = " ".join(message.split())
    if not html:
        return JSONResponse({"error": one_line}, status_code=status)
    body = _TEMPLATES.get_template("error.html").render(
        lang="zh", t=words("zh"), t_en=words("en"), status=status, message=one_line
    )
    return HTMLResponse(body, status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, name: str, lang: Lang, status: int = 200, **context: Any) -> Response:
    return _TEMPLATES.TemplateResponse(
        request, name, {"lang": lang, "t": words(lang), "langs": LANGS, **context}, status_code=status
    )


def _layout(code: str) -> Layout:
    if code not in LAYOUTS:
        raise HTTPException(400, f"unknown layout {code!r}: use {' or '.join(LAYOUTS)}")
    return LAYOUTS[code]


async def _form(request: Request, most: int) -> FormData:
    return await request.form(max_files=1, max_fields=MAX_FIELDS, max_part_size=most)


async def _file(form: FormData, chosen: Limits) -> tuple[bytes, str | None]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "no file: send it as the form field 'file'")
    content = await upload.read(chosen.file_bytes + 1)
    return content, upload.filename


def _values(form: FormData) -> Values:
    return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def _report(values: Values, layout: Layout, chosen: Limits) -> LoadedReport:
    with use_limits(chosen):
        return parse_report(form_data(values, layout, date.today()), source=None)


def _mode(values: Values) -> Mode:
    """How the form's report is validated: as published when it was read from a published page."""
    return "published" if values.get("mode") == "published" else "submission"


def _check(loaded: LoadedReport, mode: Mode = "submission") -> ValidationResult:
    if mode == "published" and not loaded.narrative:
        # A published page checked again from the form: the figures its text states are read again
        # from the sections the form kept, so NARRATIVE-MISMATCH still compares them with the tables.
        sections = loaded.report.sections.__dict__
        loaded = replace(loaded, narrative=tuple(narrative_figures(sections)))
    return validate_loaded(loaded, mode=mode)


def create_app(chosen: Limits | None = None, store_url: str | None = None) -> FastAPI:
    """The desk as an ASGI app (wrapped by `Guard`: `create_app().state` is the FastAPI state); with
    `store_url` (a DuckDB file or a PostgreSQL URL) the `/platform` pages over that store."""
    chosen = chosen or limits()
    app = FastAPI(
        title="ogi-report desk",
        version=LIBRARY_VERSION,
        description="Validate Open Government Information annual reports (政府信息公开工作年度报告).",
        docs_url=None,  # the interactive pages load scripts from a CDN: not served
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(StarletteHTTPException)  # FastAPI's and Starlette's own (a bad multipart body)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = _refusal(exc.status_code, str(exc.detail), not _is_api(request))
        response.headers.update(exc.headers or {})  # e.g. Allow on 405
        return response

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _refusal(422, f"{where}: {first.get('msg')}", not _is_api(request))

    @app.exception_handler(ReportError)
    async def report_error(request: Request, exc: ReportError) -> Response:
        return _refusal(413 if isinstance(exc, TooLarge) else 422, exc.one_line(), not _is_api(request))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        return _refusal(
            500, f"internal error: {type(exc).__name__} (please report this)", not _is_api(request)
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home(request: Request, lang: str | None = None) -> Response:
        return _page(request, "index.html", lang_of(lang), layouts=list(LAYOUTS), accept=UPLOAD_SUFFIXES)

    @app.get("/rules", response_class=HTMLResponse, include_in_schema=False)
    async def rules_page(request: Request, lang: str | None = None) -> Response:
        return _page(request, "rules.html", lang_of(lang), rules=CATALOGUE, version=CATALOGUE_VERSION)

    @app.get("/new", response_class=HTMLResponse, include_in_schema=False)
    async def new(request: Request, layout: str = "2021", lang: str | None = None) -> Response:
        chosen_layout = _layout(layout)
        page = desk(chosen_layout, empty_values(chosen_layout), lang_of(lang))
        return _page(request, "desk.html", page.lang, page=page)

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check(request: Request) -> Response:
        form = await _form(request, body_limit(chosen))
        lang = lang_of(str(form.get("lang") or ""))
        content, filename = await _file(form, chosen)
        loaded = await run_in_threadpool(read_upload, content, filename, chosen)
        first = loaded[0]
        result = await run_in_threadpool(_check, first)
        notes = tuple(note.message(lang) for note in result.notes)  # in the page's language
        if len(loaded) > 1:
            notes += (text("many_reports", lang).format(count=len(loaded)),)
        values = report_values(first)
        if first.from_page:
            values["mode"] = "published"
        page = desk(first.report.layout, values, lang, result, notes)
        return _page(request, "desk.html", lang, page=page, source=first.source)

    @app.post("/desk", response_class=HTMLResponse, include_in_schema=False)
    async def desk_page(request: Request) -> Response:
        form = await _form(request, body_limit(chosen))
        values = _values(form)
        lang = lang_of(values.get("switch_lang") or values.get("lang"))
        layout = _layout(values.get("format", ""))
        if "switch_lang" in values and "checked" not in values:  # a new form in the other language
            return _page(request, "desk.html", lang, page=desk(layout, values, lang))
        try:
            loaded = _report(values, layout, chosen)
        except ReportError as exc:
            page = desk(layout, values, lang)
            return _page(request, "desk.html", lang, 422, page=page, problem=exc.one_line())
        result = await run_in_threadpool(_check, loaded, _mode(values))
        return _page(request, "desk.html", lang, page=desk(layout, values, lang, result))

    @app.post("/download/{kind}", include_in_schema=False)
    async def download(request: Request, kind: Kind) -> Response:
        form = await _form(request, body_limit(chosen))
        values = _values(form)
        lang = lang_of(values.get("lang"))
        loaded = _report(values, _layout(values.get("format", "")), chosen)
        content, media = await run_in_threadpool(_download, kind, loaded, lang, _mode(values))
        name = f"ogi-report-{loaded.report.year}{'-findings' if kind == 'findings.json' else ''}"
        suffix = kind.rsplit(".", 1)[1]
        headers = {"content-disposition": f'attachment; filename="{name}.{suffix}"'}
        return Response(content, media_type=media, headers=headers)

    @app.post(
        "/api/validate",
        response_model=None,
        summary="Validate a report: the document `ogi validate --json` prints",
        responses={
            200: {"model": ValidationDocument, "description": "The validation document"},
            400: {"model": ErrorBody, "description": "No file in the form"},
            413: {"model": ErrorBody, "description": "Over the upload limit"},
            415: {"model": ErrorBody, "description": "Neither multipart/form-data nor application/json"},
            422: {"model": ErrorBody, "description": "Not a readable report, or bad parameters"},
        },
        openapi_extra={"requestBody": _REQUEST_BODY},
    )
    async def api_validate(request: Request, lang: Lang = "zh", published: bool = False) -> Response:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "multipart/form-data":
            content, filename = await _file(await _form(request, body_limit(chosen)), chosen)
            loaded = await run_in_threadpool(read_upload, content, filename, chosen)
        elif media == "application/json":
            body = await request.body()
            if len(body) <= INLINE_BYTES:
                loaded = [read_json_body(body, chosen)]
            else:
                loaded = [await run_in_threadpool(read_json_body, body, chosen)]
        else:
            raise HTTPException(
                415, "send the report as multipart/form-data (field 'file') or application/json"
            )
        mode: Mode = "published" if published else "submission"
        document = validation_document([validate_loaded(item, mode=mode) for item in loaded], lang)
        return Response(document.model_dump_json(), media_type="application/json")

    @app.get("/api/schema/report", summary="The JSON Schema of a report (draft 2020-12)")
    async def api_schema() -> dict[str, Any]:
        return _SCHEMA

    @app.get("/api/rules", summary="The rule catalogue", response_model=list[RuleRecord])
    async def api_rules() -> list[RuleRecord]:
        return _RULES

    mount_platform(app, store_url, _page)
    return app


class RuleRecord(BaseModel):
    id: str
    severity: str
    scope: str
    layouts: list[str]
    statement_zh: str
    statement_en: str
    url: str = Field(description="Where the rule is documented (docs/rules.md#rule-id)")


_SCHEMA = report_json_schema()
_RULES = [
    RuleRecord(
        id=r.id,
        severity=r.severity.value,
        scope=r.scope,
        layouts=list(r.layouts),
        statement_zh=r.statement_zh,
        statement_en=r.statement_en,
        url=r.url,
    )
    for r in CATALOGUE
]
_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "application/json": {
            "schema": {
                "type": "object",
                "description": "A report in the JSON interchange shape (GET /api/schema/report)",
            }
        },
    },
}


def _download(kind: Kind, loaded: LoadedReport, lang: Lang, mode: Mode) -> tuple[bytes, str]:
    report: Report = loaded.report
    if kind == "report.json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"
        return text.encode(), "application/json"
    if kind == "findings.json":
        return validation_document([_check(loaded, mode)], lang).model_dump_json(indent=2).encode(), (
            "application/json"
        )
    if kind == "report.xlsx":
        from ogi_report.writers.excel_template import template_bytes

        return template_bytes(report.format, report), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    from ogi_report.writers.html_render import render_html

    return render_html(report).encode(), "text/html; charset=utf-8"


def guarded_app(chosen: Limits | None = None, store_url: str | None = None) -> ASGI:
    """The app behind its guard (what `ogi serve` runs)."""
    chosen = chosen or limits()
    return Guard(create_app(chosen, store_url), body_limit(chosen))


def app_from_environment() -> ASGI:
    """For `uvicorn --factory` and worker processes: limits from OGI_LIMITS, the store from OGI_STORE."""
    return guarded_app(
        Limits().changed(os.environ.get("OGI_LIMITS", "")), os.environ.get("OGI_STORE") or None
    )
