"""The printable sheet: `--format html` (one self-contained page) and `--format pdf` (the same page through
WeasyPrint), on the command line and in batch exports, and the page as headless Chromium prints it.

The PDF tests run where WeasyPrint loads (it is in the test extra; it needs the system's Pango); the Chromium tests
run where Debian's `chromium` is on PATH. Both are skipped, saying why, elsewhere.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from charforge.errors import ExitCode
from charforge.export import render
from charforge.export.html import to_html
from charforge.images.offline import render as draw_portrait
from charforge.models import Character, CharacterSpec
from charforge.providers.offline import OfflineProvider
from charforge.registry import Registry
from charforge.rules.pack import load
from charforge.service import CharacterService

CLASSES = sorted(load().classes)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def npc(class_name: str = "wizard", level: int = 5, seed: int = 1, **fields) -> Character:
    return CharacterService(OfflineProvider()).npc(CharacterSpec(class_name=class_name, level=level, seed=seed,
                                                                 **fields))


def with_portrait(character: Character, folder: Path) -> Character:
    """The character with a real PNG portrait file, drawn offline as `npc --portrait` draws it."""
    path = folder / "portrait.png"
    path.write_bytes(draw_portrait(name=character.name, class_name=character.class_name, seed=1))
    return character.model_copy(update={"portrait": character.portrait.model_copy(update={"image": str(path)})})


class Page(HTMLParser):
    """The page as a strict reader sees it: every element closed in order, every URL and every text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: Counter[str] = Counter()
        self.urls: list[str] = []
        self.images: list[dict[str, str]] = []
        self.texts: list[str] = []
        self.doctype = ""
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {self.stack}")

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "xlink:href"):
                self.urls.append(value or "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
        if tag == "img":
            self.images.append({k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}>")
        elif self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1] in ("style", "title")):
            self.texts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.texts))


def style_of(page: str) -> str:
    [css] = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    return css


# -- the HTML page --------------------------------------------------------------------------------------------


def test_the_page_is_valid_self_contained_and_embeds_the_portrait(tmp_path):
    character = with_portrait(npc(), tmp_path)
    page = to_html(character)
    parsed = Page(page)
    assert parsed.problems == [] and parsed.doctype.lower() == "doctype html"
    assert parsed.tags["html"] == parsed.tags["head"] == parsed.tags["body"] == parsed.tags["style"] == 1
    assert not {"script", "link", "iframe", "object", "embed", "base"} & set(parsed.tags)
    assert all(url.startswith("data:") for url in parsed.urls), parsed.urls
    assert not re.search(r"https?://", page)  # nothing to fetch, and no URL in the text either
    css = style_of(page)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    [image] = parsed.images
    prefix = "data:image/png;base64,"
    assert image["src"].startswith(prefix) and image["alt"] == f"Portrait of {character.name}"
    assert base64.b64decode(image["src"][len(prefix):]) == Path(character.portrait.image).read_bytes()
    for heading in ("Armor Class", "Hit Points", "Speed", "Initiative", "Proficiency", "Attacks",
                    "Features and traits", "Spells", "Equipment", "Story"):
        assert heading in parsed.text, heading
    assert character.name in parsed.text and "Level 5" in parsed.text


def test_the_page_prints_on_a4_and_letter():
    css = style_of(to_html(npc()))
    assert re.search(r"@page\s*{\s*size:\s*auto;\s*margin:", css)  # the printer's paper, margins that fit both
    assert "break-inside: avoid" in css and "@media print" in css and "overflow-wrap: anywhere" in css
    assert "@page { size: A4; }" in to_html(npc(), paper="A4")


def test_no_portrait_file_no_image(tmp_path):
    character = npc()
    assert Page(to_html(character)).images == []  # the document names no image
    gone = character.model_copy(update={"portrait": character.portrait.model_copy(
        update={"image": str(tmp_path / "deleted.png")})})
    assert Page(to_html(gone)).images == []
    (tmp_path / "notes.png").write_text("not an image")
    junk = gone.model_copy(update={"portrait": gone.portrait.model_copy(update={"image": str(tmp_path / "notes.png")})})
    assert Page(to_html(junk)).images == []


def test_names_and_prose_are_escaped():
    hostile = '<script>alert("x")</script>'
    character = npc()
    story = character.background.model_copy(update={"early_life": '"><img src=x onerror=alert(1)>',
                                                    "hooks": ["</li></ul><iframe src=https://evil.example>"]})
    character = character.model_copy(update={"name": hostile, "concept": "<u>odd</u> & {{ 7*7 }}",
                                             "background": story})
    page = to_html(character)
    parsed = Page(page)
    assert parsed.problems == []
    assert parsed.tags["script"] == parsed.tags["iframe"] == parsed.tags["u"] == parsed.tags["img"] == 0
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert hostile in parsed.text and "<u>odd</u> & {{ 7*7 }}" in parsed.text
    assert parsed.urls == []


def test_the_same_character_gives_the_same_bytes(tmp_path):
    character = with_portrait(npc("bard", 7, seed=4), tmp_path)
    again = Character.model_validate_json(character.model_dump_json(by_alias=True))  # as read back from a file
    assert to_html(character) == to_html(again) == render(character, "html")


@pytest.mark.parametrize("class_name", CLASSES)
def test_every_class_at_levels_1_5_and_20(class_name):
    for level in (1, 5, 20):
        character = npc(class_name, level, seed=level)
        parsed = Page(to_html(character))
        assert parsed.problems == [], (class_name, level)
        text = parsed.text
        assert character.name in text and f"Level {level} " in text
        for label in ("Armor Class", "Hit Points", "Hit Dice", "Initiative", "Passive Perception", "Skills",
                      "Attacks", "Features and traits", "Equipment", "Coins", "Story"):
            assert label in text, (class_name, level, label)
        assert str(character.hp) in text and str(character.ac) in text
        for attack in character.attacks:
            assert attack.name in text
        for feature in character.features:
            assert feature.name in text, (class_name, level, feature.name)
        for spell in character.spells:
            assert spell.name in text
        if character.spellcasting:
            assert f"Save DC {character.spellcasting.save_dc}" in text


def test_every_sheet_field_has_a_place():
    """Fields a given character may not have (a spellbook, expertise, a save attack...) still show when present."""
    from charforge.models import Attack, FeatureLine, SkillLine, SpellEntry

    character = npc("wizard", 5)
    update = {
        "spellbook": [SpellEntry(name="Find Familiar", level=1, school="conjuration"),
                      SpellEntry(name="Misty Step", level=2, school="conjuration")],
        "spells": [*character.spells, SpellEntry(name="Shield of Faith", level=1, school="abjuration",
                                                  always_prepared=True)],
        "background_feature": FeatureLine(name="Researcher", source="background", level=0,
                                          summary="You know where lore is kept."),
        "attacks": [*character.attacks,
                    Attack(name="Poison Spray", kind="cantrip", to_hit=None, save="DC 15 Con", damage="2d12",
                           damage_type="poison", range="10 ft."),
                    Attack(name="Dagger", kind="weapon", to_hit=5, damage="1d4+3", damage_type="piercing",
                           range="20/60 ft.", properties=["finesse", "light", "thrown"],
                           notes="Sneak Attack 3d6 once per turn")],
        "skills": [*character.skills[:-1], SkillLine(name="Stealth", ability="dex", proficient=True, expertise=True,
                                                     modifier=9, source="class")],
        "senses": {"darkvision": 60, "blindsight": 10}, "resistances": ["poison"],
    }
    text = Page(to_html(character.model_copy(update=update))).text
    for shown in ("Spellbook", "1st Find Familiar", "2nd Misty Step", "Shield of Faith ◆", "◆ always prepared",
                  "Researcher Background · You know where lore is kept.", "Poison Spray DC 15 Con 2d12 poison 10 ft.",
                  "Dagger +5 1d4+3 piercing 20/60 ft. finesse, light, thrown; Sneak Attack 3d6 once per turn",
                  "◆ Stealth DEX +9", "Darkvision 60 ft., Blindsight 10 ft.", "Resistances Poison"):
        assert shown in text, shown


def test_a_1_0_document_still_renders():
    """Documents written before the sheet fields (schema 1.0) print what they have."""
    data = json.loads(npc().model_dump_json(by_alias=True))
    detail = ("ability_audit", "initiative", "passive_perception", "hit_dice", "senses", "resistances", "saves",
              "skills", "proficiencies", "subclass", "features", "attacks", "spellbook", "background_feature",
              "coins", "carrying")
    old = {k: v for k, v in data.items() if k not in detail} | {"schema_version": "1.0"}
    from charforge.export.html import _template, sheet

    parsed = Page(_template().render(sheet=sheet(old), paper="auto"))
    assert parsed.problems == [] and "Armor Class" in parsed.text and "Skills" not in parsed.text
    assert "Spent" in parsed.text and "Initiative" in parsed.text  # no coins yet: the budget line instead


# -- the command line and batch exports ----------------------------------------------------------------------


def test_npc_writes_the_html_sheet(cli, tmp_path):
    out = tmp_path / "sheet.html"
    result = cli("npc", "--seed", "1", "--class", "wizard", "--level", "5", "-f", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert Page(out.read_text(encoding="utf-8")).problems == []
    piped = cli("npc", "--seed", "1", "--class", "wizard", "--level", "5", "-f", "html")
    assert piped.stdout == out.read_text(encoding="utf-8")


def test_the_sheet_is_for_characters(cli):
    for fmt in ("html", "pdf"):
        result = cli("spells", "--class", "wizard", "-f", fmt)
        assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
        assert f"--format {fmt} exports character documents, not spells" in result.stderr


def test_batch_export_writes_one_sheet_per_character(cli, tmp_path):
    out = tmp_path / "sheets"
    result = cli("batch", "submit", "-n", "2", "--provider", "offline", "--seed", "5", "--wait", "--export",
                 str(out), "-f", "html")
    assert result.exit_code == 0, result.stderr
    index = json.loads((out / "index.json").read_text())
    assert index["format"] == "html" and len(index["characters"]) == 2
    for entry in index["characters"]:
        assert entry["file"].endswith(".html")
        assert entry["name"] in Page((out / entry["file"]).read_text(encoding="utf-8")).text
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".html", ".json"]


def test_the_registry_knows_binary_formats():
    from charforge.registry import registry

    html_entry, pdf_entry = registry().exporter("html"), registry().exporter("pdf")
    assert (html_entry.extension, html_entry.kinds, html_entry.binary) == (".html", ("character",), False)
    assert (pdf_entry.extension, pdf_entry.kinds, pdf_entry.binary) == (".pdf", ("character",), True)
    table = Registry(plugins=False)
    with pytest.raises(ValueError, match="binary format cannot join"):
        table.add_exporter("zipped", factory="x:y", extension=".zip", binary=True, joins=True)
    with pytest.raises(ValueError, match="check must be"):
        table.add_exporter("odt", factory="x:y", extension=".odt", check=42)


def run_charforge(args: list[str], home: Path, *, prelude: str = "", **kwargs) -> subprocess.CompletedProcess:
    """charforge in a fresh interpreter, after `prelude` (a shim that changes what can be imported)."""
    code = f"{prelude}\nimport sys\nsys.argv = ['charforge', *{args!r}]\nfrom charforge.cli import main\nmain()\n"
    env = {**os.environ, "CHARFORGE_HOME": str(home), "CHARFORGE_NO_PLUGINS": "1"}
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=home.parent, timeout=60, **kwargs)


NO_WEASYPRINT = "import sys\nsys.modules['weasyprint'] = None  # as if it were not installed"
NO_PANGO = """
import importlib.abc, importlib.machinery, sys
class NoPango(importlib.abc.MetaPathFinder, importlib.abc.Loader):  # WeasyPrint there, its C library not
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self) if name == 'weasyprint' else None
    def create_module(self, spec):
        raise OSError("cannot load library 'libgobject-2.0-0': libgobject-2.0-0: cannot open shared object file")
    def exec_module(self, module):
        pass
sys.meta_path.insert(0, NoPango())
"""


@pytest.mark.parametrize(("prelude", "error", "hint"), [
    (NO_WEASYPRINT, "error: --format pdf needs WeasyPrint, which is not installed",
     "hint: install the PDF extra: pip install 'charforge[pdf]'"),
    (NO_PANGO, "error: --format pdf: WeasyPrint cannot load its system libraries (cannot load library",
     "hint: WeasyPrint needs the Pango library: apt-get install libpango-1.0-0"),
], ids=["not-installed", "no-pango"])
def test_pdf_without_its_library_is_one_clear_error_before_any_work(charforge_home, tmp_path, prelude, error, hint):
    out = tmp_path / "sheet.pdf"
    result = run_charforge(["npc", "--seed", "1", "-f", "pdf", "-o", str(out)], charforge_home, prelude=prelude,
                           capture_output=True, text=True)
    assert result.returncode == ExitCode.CONFIG, result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["error", "hint"], result.stderr
    assert lines[0].startswith(error) and lines[1].startswith(hint)
    assert result.stdout == "" and not out.exists()  # and nothing generated: no notice from the generator


def test_pdf_is_not_written_to_a_terminal(charforge_home):
    import pty

    leader, follower = pty.openpty()
    try:
        result = run_charforge(["npc", "--seed", "1", "-f", "pdf"], charforge_home, stdout=follower,
                               stderr=subprocess.PIPE, text=True)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == ExitCode.USAGE
    assert "error: --format pdf is a binary file; it is not written to a terminal" in result.stderr
    assert "hint: add -o character.pdf" in result.stderr


def test_help_loads_neither_the_template_engine_nor_the_pdf_library(charforge_home):
    probe = ("import sys, runpy\nsys.argv = ['charforge', '--help']\ntry:\n"
             "    runpy.run_module('charforge', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "sys.stderr.write('LOADED=' + ','.join(m for m in ('jinja2', 'weasyprint', 'charforge.export.html')"
             " if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "CHARFORGE_HOME": str(charforge_home)})
    assert result.stderr.rsplit("LOADED=", 1)[1] == ""


# -- PDF through WeasyPrint ------------------------------------------------------------------------------------


def _weasyprint_problem() -> str | None:
    try:
        from charforge.export.pdf import check

        check()
    except Exception as exc:  # ConfigError: not installed, or no Pango
        return str(exc)
    return None


needs_weasyprint = pytest.mark.skipif(_weasyprint_problem() is not None,
                                      reason=f"PDF tests need WeasyPrint: {_weasyprint_problem()}")


def page_count(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # no pypdf: count the page objects (neither WeasyPrint nor Chromium compresses them away)
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_size_pt(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@needs_weasyprint
def test_pdf_of_a_level_5_wizard_fits_two_pages_and_is_deterministic(tmp_path):
    character = with_portrait(npc(), tmp_path)
    pdf = render(character, "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF-")
    assert 1 <= page_count(pdf) <= 2
    assert page_size_pt(pdf) == (595, 842)  # WeasyPrint's `size: auto` is A4
    assert render(character, "pdf") == pdf


@needs_weasyprint
def test_npc_and_jobs_export_write_pdf(cli, tmp_path):
    out = tmp_path / "wizard.pdf"
    result = cli("npc", "--seed", "1", "--class", "wizard", "--level", "5", "-f", "pdf", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    piped = cli("npc", "--seed", "1", "--class", "wizard", "--level", "5", "-f", "pdf")  # stdout is not a terminal
    assert piped.exit_code == 0 and piped.stdout_bytes == out.read_bytes()

    submitted = cli("batch", "submit", "-n", "1", "--provider", "offline", "--wait")
    assert submitted.exit_code == 0, submitted.stderr
    folder = tmp_path / "pdfs"
    exported = cli("jobs", "export", "--batch", submitted.stdout.strip(), "--out", str(folder), "-f", "pdf")
    assert exported.exit_code == 0, exported.stderr
    files = sorted(p for p in folder.iterdir() if p.name != "index.json")
    assert [p.suffix for p in files] == [".pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in files)


# -- the sheet in headless Chromium ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install "
                                    "chromium); the printed-page tests need a browser")
A4_PX = (794, 1123)  # 210 x 297 mm at 96 px per inch
MEASURE = """<script>
(() => {  /* every box inside the sheet, and the page itself, within the sheet's width */
  const sheet = document.querySelector('.sheet').getBoundingClientRect(), root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) found.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
  for (const el of document.querySelectorAll('.sheet, .sheet *')) {
    const box = el.getBoundingClientRect();
    const where = `${el.tagName.toLowerCase()}.${el.className}`;
    if (box.width && (box.left < sheet.left - 0.5 || box.right > sheet.right + 0.5))
      found.push(`${where} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1)
      found.push(`${where} content ${el.scrollWidth} > ${el.clientWidth}`);
  }
  document.body.setAttribute('data-overflow', JSON.stringify(found.slice(0, 20)));
})();
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with nothing to reach: no first run, no background networking, a fresh profile."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}"]
    result = subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=90)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    return result


def overflow(tmp_path: Path, page: str) -> list[str]:
    """What sticks out of the sheet on an A4-wide screen, measured in Chromium (the sheet is A4's print width)."""
    path = tmp_path / "measure.html"
    path.write_text(page.replace("</body>", MEASURE + "\n</body>"), encoding="utf-8")
    dom = chromium(tmp_path, f"--window-size={A4_PX[0]},{A4_PX[1]}", "--dump-dom", path.as_uri()).stdout.decode()
    [found] = re.findall(r'data-overflow="([^"]*)"', dom)
    return json.loads(html.unescape(found))


@pytest.fixture(scope="module")
def wizard_page(tmp_path_factory) -> Character:
    return with_portrait(npc(), tmp_path_factory.mktemp("portrait"))


def stressed(character: Character) -> Character:
    """Long unbroken words where a sheet is narrowest: the name, the concept, an item, a hook."""
    long_word = "Bartholomew-" * 3 + "Quillfeatherstonehaughington" * 3
    story = character.background.model_copy(update={"hooks": [long_word * 2]})
    items = [*character.equipment, character.equipment[0].model_copy(update={"name": long_word})]
    return character.model_copy(update={"name": long_word, "concept": long_word + " " + long_word,
                                        "equipment": items, "background": story})


@needs_chromium
def test_chromium_finds_no_overflow_even_with_long_words(tmp_path, wizard_page):
    assert overflow(tmp_path, to_html(stressed(wizard_page), paper="A4")) == []


@needs_chromium
def test_the_overflow_check_can_fail(tmp_path, wizard_page):
    """Without the CSS that breaks long words, the same page overflows, and the measure says where."""
    page = to_html(stressed(wizard_page), paper="A4")
    assert "overflow-wrap: anywhere;" in page
    found = overflow(tmp_path, page.replace("overflow-wrap: anywhere;", ""))
    assert any(line.startswith("h1.") for line in found), found


@needs_chromium
@pytest.mark.parametrize(("paper", "size_pt"), [("A4", (595, 842)), ("letter", (612, 792))])
def test_chromium_prints_a_level_5_wizard_with_a_portrait_on_two_pages(tmp_path, wizard_page, paper, size_pt):
    source, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    source.write_text(to_html(wizard_page, paper=paper), encoding="utf-8")
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and page_size_pt(data) == size_pt
    assert 1 <= page_count(data) <= 2


@needs_chromium
def test_chromium_screenshot_of_the_sheet(tmp_path, wizard_page):
    from PIL import Image

    source, png = tmp_path / "sheet.html", tmp_path / "sheet.png"
    source.write_text(to_html(wizard_page), encoding="utf-8")
    chromium(tmp_path, f"--window-size={A4_PX[0]},{A4_PX[1]}", f"--screenshot={png}", source.as_uri())
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == A4_PX
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, boxes and the portrait, not a blank page
