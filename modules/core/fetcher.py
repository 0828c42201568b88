"""The only way WeasyPrint may load anything while rendering a certificate.

WeasyPrint's default fetcher follows any URL: ``file:///etc/passwd``, an intranet address, a
cloud metadata endpoint. A certificate needs none of that, so this fetcher allows exactly two
things: ``data:`` URIs (the QR code, a configured logo) and regular files inside the design's own
folder (its images and fonts). Everything else is refused and the render fails loudly, so a
design that asks for something forbidden is noticed rather than printed with a hole in it.
"""
from __future__ import annotations

from mimetypes import guess_type
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURLError(ValueError):
    """A design asked for a URL outside what certificates may load."""


class DesignURLFetcher(URLFetcher):
    """Serve ``data:`` URIs and files inside ``design_dir``; refuse everything else."""

    def __init__(self, design_dir: Path | str):
        # fail_on_errors: a refusal stops the render (WeasyPrint raises FatalURLFetchingError)
        # instead of being logged and skipped. No redirects, only the data: handler is reachable.
        super().__init__(
            allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True, timeout=1
        )
        self.design_dir = Path(design_dir).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._fetch_design_file(url)
        raise RefusedURLError(f"certificates may not load {url!r}: only data: URIs and files in "
                              f"the design folder are allowed")

    def _fetch_design_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURLError(f"certificates may not load files from another host: {url!r}")
        # resolve() collapses ``..`` and follows symbolic links, so neither can lead outside.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.design_dir) or not path.is_file():
            raise RefusedURLError(
                f"certificates may only load files inside the design folder {self.design_dir}: "
                f"{url!r} is not one"
            )
        mime_type = guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime_type})
