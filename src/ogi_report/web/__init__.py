"""The publisher's desk (`ogi serve`): a web validator in the official layout.

Pages are rendered on the server (Jinja2, autoescaped) over the public library functions; every asset
is served by the app; nothing is kept between requests. FastAPI, Uvicorn and Jinja2 are imported only
here, so `ogi --help` does not load them.
"""

from ogi_report.web.app import create_app

__all__ = ["create_app"]
