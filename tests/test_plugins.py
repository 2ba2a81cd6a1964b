"""The plugin seam: the example plugin in tests/plugins/charforge-echo, pip-installed into a temporary folder.

The plugin adds a text provider (`echo`) and an export format (`statblock-csv`) without touching charforge.
It is installed with `pip install --target` once per session and seen only by charforge processes started
with that folder on PYTHONPATH: this process and every other test never see it. The registry's own rules
(names, duplicates, look-ups, loading) are tested in-process at the end.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from charforge.errors import UsageError
from charforge.models import Character
from charforge.registry import Capabilities, Registry, _builtins

ECHO = Path(__file__).parent / "plugins" / "charforge-echo"
GREETING = "Hail and well met."
CSV_HEADER = "name,ancestry,class,level,alignment,hp,ac,speed,str,dex,con,int,wis,cha,seed,provider"


@pytest.fixture(scope="session")
def echo_site(tmp_path_factory) -> Path:
    """The example plugin, installed by pip (no index, no build isolation) into a folder of its own."""
    target = tmp_path_factory.mktemp("echo-site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", "--target", str(target), str(ECHO)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory) -> Path:
    """An installed plugin with two bugs: its provider hook registers a built-in's name again, and its
    exporter hook names a module that does not exist. Laid out by hand: it is only a dist-info and a module,
    which is all an installed distribution is to `importlib.metadata`."""
    site = tmp_path_factory.mktemp("broken-site")
    dist_info = site / "charforge_broken-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: charforge-broken\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text(
        "[charforge.providers]\nduplicate = charforge_broken:register\n\n"
        "[charforge.exporters]\nmissing = charforge_broken_gone:register\n")
    (site / "charforge_broken.py").write_text(
        "def register(registry):\n"
        "    registry.add_text_provider('offline', factory='charforge_broken:register', default_model='x')\n")
    return site


def python(*args: str, sites: list[Path], **env: str) -> subprocess.CompletedProcess[str]:
    """A Python process that sees the plugins in `sites` (and CHARFORGE_HOME from the autouse fixture)."""
    environ = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    environ["PYTHONPATH"] = os.pathsep.join(str(site) for site in sites)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60,
                          env={**environ, **env})


def charforge(*args: str, sites: list[Path], **env: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "charforge", *args, sites=sites, **env)


def write_config(home: Path, text: str) -> None:
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "config.yaml").write_text(text, encoding="utf-8")


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


# -- the plugin, through charforge processes -------------------------------------------------------


def test_echo_provider_generates_with_its_config_section(echo_site, charforge_home):
    write_config(charforge_home, f"echo:\n  greeting: {GREETING}\n")
    result = charforge("npc", "--provider", "echo", "--seed", "3", "-f", "json", sites=[echo_site])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    Character.model_validate(doc)  # the whole contract, numbers computed by charforge
    provenance = doc["provenance"]
    assert (provenance["provider"], provenance["model"], provenance["seed"]) == ("echo", "echo-1", 3)
    assert doc["background"]["early_life"].startswith(f"{GREETING} ")  # config.yaml reached the plugin
    usage = provenance["usage"]  # the price the registration brings costs the call
    assert usage["calls"] == 1 and usage["output_tokens"] > 0
    assert usage["cost_usd"] == pytest.approx((usage["input_tokens"] * 0.25 + usage["output_tokens"] * 1.0) / 1e6)


def test_environment_variables_reach_the_plugins_section(echo_site):
    result = charforge("npc", "--provider", "echo", "--seed", "3", "-f", "json", sites=[echo_site],
                       CHARFORGE_ECHO_GREETING="From the environment.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["background"]["early_life"].startswith("From the environment. ")


def test_plugin_format_exports_a_character(echo_site):
    result = charforge("npc", "--provider", "offline", "--seed", "3", "-f", "statblock-csv", sites=[echo_site])
    assert result.returncode == 0, result.stderr
    header, row, *rest = result.stdout.splitlines()
    assert header == CSV_HEADER and rest == []
    assert row.split(",")[-2:] == ["3", "offline"]


def test_plugin_format_refuses_other_kinds(echo_site):
    result = charforge("spells", "--provider", "offline", "-f", "statblock-csv", sites=[echo_site])
    assert result.returncode == 2
    assert error_lines(result) == ["error: --format statblock-csv exports character documents, not spells"]
    assert result.stdout == ""


def test_unknown_key_in_the_plugins_section_is_a_config_error(echo_site, charforge_home):
    write_config(charforge_home, "echo:\n  greting: hello\n")
    result = charforge("npc", "--provider", "echo", "--seed", "3", sites=[echo_site])
    assert result.returncode == 3
    [line] = error_lines(result)
    assert "'echo.greting'" in line and "config.yaml" in line


def test_help_imports_neither_the_plugin_nor_the_sdks(echo_site):
    result = python("-X", "importtime", "-m", "charforge", "--help", sites=[echo_site])
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "charforge.cli" in imported  # the probe sees charforge's own imports
    heavy = sorted(m for m in imported if m.split(".")[0] in ("charforge_echo", "anthropic", "openai"))
    assert heavy == []


def test_no_plugins_variable_hides_the_plugin(echo_site):
    result = charforge("npc", "--provider", "echo", "--seed", "3", sites=[echo_site], CHARFORGE_NO_PLUGINS="1")
    assert result.returncode == 2
    [line] = error_lines(result)
    assert "'echo'" in line and "auto, offline, mock" in line


def test_broken_plugin_is_reported_and_charforge_still_works(echo_site, broken_site):
    sites = [broken_site, echo_site]
    result = charforge("npc", "--provider", "offline", "--seed", "3", "-f", "statblock-csv", sites=sites)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].endswith(",3,offline")  # the working plugin still loaded
    assert "plugin charforge-broken failed to load: ValueError: 'offline' is already registered" in result.stderr
    assert "plugin charforge-broken failed to load: ModuleNotFoundError" in result.stderr

    probe = ("import json; from charforge.registry import registry; r = registry(); r.load_plugins(); "
             "print(json.dumps([r.plugin_errors, r.text['offline'].origin, r.text['echo'].origin]))")
    listed = python("-c", probe, sites=sites)
    assert listed.returncode == 0, listed.stderr
    errors, offline_origin, echo_origin = json.loads(listed.stdout)
    assert (offline_origin, echo_origin) == ("builtin", "charforge-echo")
    assert sorted(errors) == [
        "charforge-broken (charforge.exporters: missing): ModuleNotFoundError: No module named 'charforge_broken_gone'",
        "charforge-broken (charforge.providers: duplicate): ValueError: 'offline' is already registered (by builtin)",
    ]


def test_this_process_never_sees_the_plugin(echo_site):
    assert importlib.util.find_spec("charforge_echo") is None
    assert "echo" not in [point.name for point in importlib.metadata.entry_points(group="charforge.providers")]


# -- the registry, in-process ----------------------------------------------------------------------


@pytest.fixture
def builtins_only() -> Registry:
    registry = Registry(plugins=False)
    _builtins(registry)
    return registry


PROVIDER = {"factory": "pkg.module:build", "default_model": "m-1"}


@pytest.mark.parametrize(("add", "name", "fields", "message"), [
    ("add_text_provider", "offline", PROVIDER, "'offline' is already registered (by builtin)"),
    ("add_text_provider", "auto", PROVIDER, "'auto' is already registered (by charforge)"),
    ("add_exporter", "json", {"factory": "pkg:f"}, "'json' is already registered (by builtin)"),
    ("add_exporter", "Stat Block", {"factory": "pkg:f"}, "name 'Stat Block' must be lowercase letters"),
    ("add_exporter", "sheet", {"factory": "pkg:f", "extension": "csv"}, "sheet: extension must look like '.csv'"),
    ("add_exporter", "sheet", {"factory": "pkg.f"}, "sheet: factory must be a callable or 'module:attribute'"),
    ("add_exporter", "sheet", {"factory": 42}, "sheet: factory must be a callable"),
    ("add_text_provider", "echo", {"factory": "pkg:f"}, "echo: default_model is required"),
    ("add_text_provider", "echo", {**PROVIDER, "colour": "red"}, "unexpected field 'colour'"),
    ("add_text_provider", "echo", {**PROVIDER, "key_env": 5}, "echo: key_env must be text"),
    ("add_text_provider", "echo", {**PROVIDER, "capabilities": Capabilities(structured=("telepathy",))},
     "echo: capabilities must be a Capabilities with structured modes among tool, json_schema"),
    ("add_image_provider", "sketch", {"factory": "pkg:f"}, "sketch: default_model is required"),
])
def test_bad_registrations_are_one_clear_value_error(builtins_only, add, name, fields, message):
    sizes = [len(builtins_only.text), len(builtins_only.images), len(builtins_only.exporters)]
    with pytest.raises(ValueError) as raised:
        getattr(builtins_only, add)(name, **fields)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert [len(builtins_only.text), len(builtins_only.images), len(builtins_only.exporters)] == sizes


def test_unknown_names_list_the_known_ones(builtins_only):
    with pytest.raises(UsageError) as raised:
        builtins_only.text_provider("nope")
    assert str(raised.value) == "unknown text provider 'nope'"
    assert raised.value.hint.startswith("choose one of: auto, offline, mock, anthropic")
    with pytest.raises(UsageError, match="unknown format 'nope'") as raised:
        builtins_only.exporter("nope")
    assert "text, markdown, json" in raised.value.hint


class FakePoint:
    """An entry point as `importlib.metadata` hands it over: a name, a distribution and `load()`."""

    def __init__(self, name: str, hook, dist: str) -> None:
        self.name, self.value, self.dist, self._hook = name, f"{dist}:hook", SimpleNamespace(name=dist), hook

    def load(self):
        return self._hook


@pytest.fixture
def fake_plugins(monkeypatch) -> list[str]:
    """One good plugin (a format) and one whose hook raises; returns the hooks called, in order."""
    called: list[str] = []

    def good(registry: Registry) -> None:
        called.append("good")
        registry.add_exporter("fake", factory="pkg:f", extension=".fk", kinds=("character",))

    def bad(registry: Registry) -> None:
        called.append("bad")
        raise RuntimeError("boom")

    points = {"charforge.providers": [FakePoint("bad", bad, "charforge-bad")],
              "charforge.exporters": [FakePoint("fake", good, "charforge-fake")]}
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: points.get(group, []))
    return called


def test_plugins_load_once_when_a_name_is_not_built_in(fake_plugins):
    registry = Registry()
    _builtins(registry)
    assert registry.exporter("json").origin == "builtin"
    assert fake_plugins == []  # built-in names never load plugins
    assert registry.exporter("FAKE").origin == "charforge-fake"
    assert registry.plugin_errors == ["charforge-bad (charforge.providers: bad): RuntimeError: boom"]
    registry.all_exporters()
    assert fake_plugins == ["bad", "good"]


def test_no_plugins_variable_skips_loading(fake_plugins, monkeypatch):
    monkeypatch.setenv("CHARFORGE_NO_PLUGINS", "1")
    registry = Registry()
    assert not registry.knows("exporters", "fake")
    assert fake_plugins == [] and registry.plugin_errors == []
