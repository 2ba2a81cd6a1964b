"""The printable sheet as PDF: the HTML sheet of `export.html`, laid out by WeasyPrint.

WeasyPrint is an optional extra (`pip install 'charforge[pdf]'`): pure Python, but it draws text with the Pango
library of the system. `check()` says clearly when either is missing, before any character is generated;
docs/printing.md says why WeasyPrint and not a browser. Nothing is fetched while rendering: the sheet is
self-contained, and the URL fetcher refuses every scheme but `data:`. The same character gives the same bytes
(WeasyPrint writes no date unless the page asks for one, and derives the file identifier from the content).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from charforge.errors import ConfigError
from charforge.export.html import to_html

if TYPE_CHECKING:
    from pydantic import BaseModel

INSTALL_HINT = "install the PDF extra: pip install 'charforge[pdf]' (or use --format html and print it from a browser)"
PANGO_HINT = ("WeasyPrint needs the Pango library: apt-get install libpango-1.0-0 libpangoft2-1.0-0 (Debian, Ubuntu), "
              "brew install pango (macOS); see docs/printing.md")


def check() -> None:
    """Fail before any work when PDFs cannot be made here.

    Raises:
        ConfigError: WeasyPrint is not installed, or the system lacks the libraries it loads.
    """
    _weasyprint()


def to_pdf(document: BaseModel) -> bytes:
    """The sheet as a PDF file (A4 unless the printer is told otherwise: WeasyPrint's `size: auto` is A4)."""
    weasyprint = _weasyprint()
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return weasyprint.HTML(string=to_html(document), url_fetcher=fetcher).write_pdf()


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError as exc:
        missing = "" if exc.name in (None, "weasyprint") else f" completely (no module {exc.name!r})"
        raise ConfigError(f"--format pdf needs WeasyPrint, which is not installed{missing}",
                          hint=INSTALL_HINT) from None
    except OSError as exc:  # WeasyPrint is there, but cannot load Pango (cffi's dlopen)
        raise ConfigError(f"--format pdf: WeasyPrint cannot load its system libraries ({_first_line(exc)})",
                          hint=PANGO_HINT) from None
    try:
        from weasyprint.urls import URLFetcher  # noqa: F401  (the fetcher class to_pdf uses: WeasyPrint 68+)
    except ImportError:
        raise ConfigError(f"--format pdf needs WeasyPrint 68 or newer, not {weasyprint.__version__}",
                          hint="pip install --upgrade 'charforge[pdf]'") from None
    return weasyprint


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
