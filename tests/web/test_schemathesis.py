"""The API fuzzed from its own OpenAPI description (schemathesis): every generated request gets a
documented status, content type and body shape, and never a server error."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ogi_report.limits import Limits
from ogi_report.web.app import guarded_app

SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", guarded_app(Limits(file_bytes=200_000)))


@SCHEMA.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case: Any) -> None:
    # Any bytes are a schema-valid upload, but most are not a report: 422 with one line is the
    # documented answer, so "schema-valid data accepted" does not apply; every other check does.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
