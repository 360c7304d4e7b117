"""The few exceptions that stop processing. Problems inside a readable report are findings, not these."""

from __future__ import annotations


class OgiError(Exception):
    """Base of every error this library raises on purpose."""


class ReportError(OgiError):
    """An input could not be read, or is not a report: names the source and, where known, the place."""

    def __init__(self, message: str, *, source: str | None = None, location: str | None = None):
        self.message = message
        self.source = source
        self.location = location
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = [p for p in (self.source, self.location) if p]
        text = " ".join(self.message.split())
        return ": ".join([*parts, text])

    def with_source(self, source: str) -> ReportError:
        """The same error, naming the file it came from."""
        return ReportError(self.message, source=source, location=self.location)
