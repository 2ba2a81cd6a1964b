"""Regenerate docs/sheet-page1.png: page 1 of a level-5 wizard's printable sheet, as Chromium prints it on A4.

    python scripts/sheet_png.py                 # writes docs/sheet-page1.png
    python scripts/sheet_png.py --out x.png --dpi 110 --paper letter --keep /tmp/sheet

What it runs, in a fresh CHARFORGE_HOME with no API key (the offline generator and the offline portrait):

    charforge npc --provider offline --class wizard --level 5 --seed 1 --portrait --portrait-dir DIR \
        --no-log -f json -o DIR/wizard.json
    (the sheet of that document with the page size fixed: charforge.export.html.to_html(character, paper="A4"))
    chromium --headless --no-pdf-header-footer --print-to-pdf=DIR/sheet.pdf DIR/sheet.html
    pdftoppm -f 1 -l 1 -r 96 -png -singlefile DIR/sheet.pdf docs/sheet-page1

`--format html` leaves the paper to the printer (`@page { size: auto }`), and Chromium's own default is Letter, so
the script fixes A4 in the page, as the acceptance test of issue 13 asks. Needs Debian's `chromium` and
`poppler-utils` (pdftoppm); without pdftoppm it falls back to a Chromium screenshot of the page at A4 size.
It prints the page count and the render times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars"]
A4_PX = (794, 1123)  # 210 x 297 mm at 96 px per inch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sheet-page1.png")
    parser.add_argument("--dpi", type=int, default=96)
    parser.add_argument("--paper", choices=("A4", "letter"), default="A4")
    parser.add_argument("--keep", type=Path, help="keep the JSON, HTML, portrait and PDF in this folder")
    args = parser.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("error: chromium is not installed (Debian: apt-get install chromium poppler-utils)")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        html = sheet(work, args.paper)
        pdf = work / "sheet.pdf"
        started = time.perf_counter()
        chromium(browser, work, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
        print(f"chromium printed {pdf.name}: {pages(pdf.read_bytes())} page(s) on {args.paper} "
              f"in {time.perf_counter() - started:.2f} s")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(args.dpi), "-png", "-singlefile", str(pdf),
                            str(args.out.with_suffix(""))], check=True)
        else:
            print("pdftoppm not found (apt-get install poppler-utils): a screenshot of the page instead")
            chromium(browser, work, f"--window-size={A4_PX[0]},{A4_PX[1]}", f"--screenshot={args.out}", html.as_uri())
    print(f"wrote {args.out}")
    return 0


def sheet(work: Path, paper: str) -> Path:
    """The wizard's document from the CLI, then its sheet with the paper size fixed."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and not k.startswith("CHARFORGE_")}
    env["CHARFORGE_HOME"] = str(work / "home")
    document = work / "wizard.json"
    subprocess.run([sys.executable, "-m", "charforge", "npc", "--provider", "offline", "--class", "wizard", "--level",
                    "5", "--seed", "1", "--portrait", "--portrait-dir", str(work), "--no-log", "-f", "json",
                    "-o", str(document)], check=True, env=env, cwd=work)
    from charforge.export.html import to_html
    from charforge.models import Character

    character = Character.model_validate_json(document.read_text(encoding="utf-8"))
    html = work / "sheet.html"
    html.write_text(to_html(character, paper=paper), encoding="utf-8")
    return html


def chromium(browser: str, work: Path, *args: str) -> None:
    subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'chromium-profile'}", *args], check=True,
                   capture_output=True, timeout=120)


def pages(pdf: bytes) -> int:
    import io
    import re

    try:
        from pypdf import PdfReader
    except ImportError:  # the test extra brings pypdf; without it, count the page objects
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    return len(PdfReader(io.BytesIO(pdf)).pages)


if __name__ == "__main__":
    sys.exit(main())
