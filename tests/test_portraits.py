"""`charforge portrait` as a user runs it: offline, and the real openai SDK / `requests` against a fake server.

The command is mounted on a local root (with charforge's error boundary) until the real root app mounts it.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from charforge.cli import CharforgeGroup, portrait
from charforge.errors import ConfigError, ExitCode, UsageError
from charforge.images import storage
from charforge.images.offline import render
from charforge.service.portraits import STYLES, compose
from charforge.store.generations import GenerationLog
from fake_images import REVISED, FakeImages, moderation, out_of_credits, rate_limit, url_only
from fake_images import fake_images as fake_images

KEY = "sk-img-test-0123456789abcdef-SECRET"
root = typer.Typer(cls=CharforgeGroup)
root.add_typer(portrait.app)


@pytest.fixture(autouse=True)
def image_env(monkeypatch):
    """No image provider settings from the developer's shell; milliseconds, not seconds, between retries."""
    for var in ("STABILITY_API_KEY", "STABILITY_BASE_URL", "OPENAI_BASE_URL", "CHARFORGE_SDWEBUI_BASE_URL",
                "CHARFORGE_IMAGES_PROVIDER", "CHARFORGE_IMAGES_MODEL", "CHARFORGE_IMAGES_SIZE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CHARFORGE_RETRY_BACKOFF", "0.01")
    monkeypatch.setenv("CHARFORGE_RETRY_MAX_WAIT", "0.05")


@pytest.fixture
def hosted(fake_images: FakeImages, monkeypatch) -> FakeImages:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_images.openai_url)
    monkeypatch.setenv("STABILITY_API_KEY", KEY)
    monkeypatch.setenv("STABILITY_BASE_URL", fake_images.url)
    return fake_images


def run(*args: str):
    return CliRunner().invoke(root, ["portrait", *args])


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def saved_pair(out: Path) -> tuple[Path, dict]:
    images = [p for p in files(out) if p.suffix != ".json"]
    assert len(images) == 1 and len(files(out)) == 2, files(out)
    sidecar = json.loads(images[0].with_suffix(".json").read_text())
    assert sidecar["sha256"] == hashlib.sha256(images[0].read_bytes()).hexdigest()
    assert sidecar["file"] == images[0].name
    return images[0], sidecar


def test_offline_portrait_is_a_png_with_the_same_bytes_for_the_same_seed(tmp_path, charforge_home):
    from PIL import Image

    first = run("--provider", "offline", "--name", "Brokk", "--class", "fighter", "--seed", "3")
    assert first.exit_code == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path.parent == charforge_home / "data" / "portraits" and path.name.startswith("brokk-")
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (512, 512))
    again = run("--provider", "offline", "--name", "Brokk", "--class", "fighter", "--seed", "3", "--out",
                str(tmp_path / "again"))
    assert again.exit_code == 0, again.stderr
    assert Path(again.stdout.strip()).read_bytes() == path.read_bytes()
    _, sidecar = saved_pair(path.parent)
    assert (sidecar["provider"], sidecar["name"], sidecar["seed"], sidecar["style"]) == ("offline", "Brokk", 3,
                                                                                         "painted")
    assert sidecar["prompt"].endswith(STYLES["painted"] + ".")


def test_offline_render_is_byte_identical_and_honours_size():
    from PIL import Image

    one = render(name="Brokk Stonefist", class_name="wizard", seed=9, width=320, height=480)
    assert one == render(name="Brokk Stonefist", class_name="wizard", seed=9, width=320, height=480)
    assert one != render(name="Brokk Stonefist", class_name="wizard", seed=10, width=320, height=480)
    assert Image.open(io.BytesIO(one)).size == (320, 480)


@pytest.mark.parametrize(("provider", "path"), [("openai", "/v1/images/generations"),
                                                ("stability", "/v2beta/stable-image/generate/core")])
def test_hosted_provider_writes_image_and_sidecar(hosted, tmp_path, provider, path):
    out = tmp_path / "out"
    result = run("--provider", provider, "--name", "Brokk", "--class", "fighter", "--seed", "3", "--out", str(out),
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    [entry] = json.loads(result.stdout)
    image, sidecar = saved_pair(out)
    assert (entry["path"], entry["sha256"], entry["provider"]) == (str(image), sidecar["sha256"], provider)
    assert image.read_bytes() == hosted.png
    [sent] = hosted.generations()
    assert (sent.path, sent.headers["authorization"]) == (path, f"Bearer {KEY}")
    if provider == "openai":
        assert sent.json["model"] == "gpt-image-2" and sent.json["n"] == 1 and sent.json["size"] == "1024x1024"
        assert "response_format" not in sent.json
        assert sidecar["revised_prompt"] == REVISED
    else:
        assert sent.headers["accept"] == "image/*"
        assert sent.form["prompt"].startswith("Portrait of Brokk") and sent.form["aspect_ratio"] == "1:1"
        assert (sent.form["seed"], sent.form["style_preset"], sidecar["seed"]) == ("3", "fantasy-art", 12345)
    with GenerationLog() as log:
        [call] = log.rows_where(command="portrait")
    assert (call.kind, call.provider, json.loads(call.response)["files"]) == ("portrait", provider, [image.name])
    assert call.request["prompt"] == sidecar["prompt"]


@pytest.mark.parametrize("provider", ["openai", "stability"])
def test_moderation_is_one_error_line_exit_5_and_no_files(hosted, tmp_path, provider):
    hosted.script(moderation())
    out = tmp_path / "out"
    result = run("--provider", provider, "--class", "rogue", "--seed", "1", "--out", str(out))
    assert result.exit_code == ExitCode.GENERATION, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {provider} refused to draw this portrait: its "
        f"{'safety system rejected' if provider == 'openai' else 'content moderation flagged'} the prompt"]
    assert "hint: change the prompt" in result.stderr
    assert result.stdout == "" and files(out) == [] and len(hosted.generations()) == 1
    with GenerationLog() as log:
        [call] = log.rows_where(command="portrait", errors_only=True)
    assert call.error.startswith("GenerationError") and call.response is None


@pytest.mark.parametrize("provider", ["openai", "stability"])
def test_rate_limit_with_retry_after_is_retried(hosted, tmp_path, provider):
    hosted.script(rate_limit(retry_after=1))
    result = run("--provider", provider, "--class", "bard", "--seed", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert [r.status for r in hosted.generations()] == [429, 200]
    saved_pair(tmp_path / "out")


@pytest.mark.parametrize("name", ["../../x", "a/b", "..", "", "a\\b\\c", "/etc/passwd", "~root"])
def test_hostile_names_stay_inside_the_out_dir(tmp_path, name):
    out = tmp_path / "deep" / "out"
    folder = storage.prepare_folder(out)
    meta = storage.PortraitMeta(name=name, prompt="p", provider="offline", model="m", size="16x16")
    [saved] = storage.save([render(name=name, class_name="", seed=1, width=64, height=64)], mime="image/png",
                           folder=folder, meta=meta, created="2026-01-01T00:00:00.000Z")
    assert saved.path.parent == folder == out.resolve() and saved.sidecar.parent == folder
    assert all(p.parent == out for p in files(tmp_path)), files(tmp_path)
    assert storage.slug(name) in ("x", "a-b", "portrait", "a-b-c", "etc-passwd", "root")


def test_hostile_name_through_the_cli(tmp_path):
    result = run("--name", "../../x", "--class", "wizard", "--seed", "1", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert Path(result.stdout.strip()).parent == (tmp_path / "out").resolve()
    assert [p.name.split("-")[0] for p in files(tmp_path) if "home" not in p.parts] == ["x", "x"]


def test_a_failed_sidecar_write_leaves_neither_file(tmp_path, monkeypatch):
    real_replace = storage.os.replace

    def failing(src, dst):
        if str(dst).endswith(".json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", failing)
    result = run("--class", "ranger", "--seed", "1", "--n", "2", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE and "No space left on device" in result.stderr
    assert files(tmp_path / "out") == []


@pytest.mark.parametrize("size", ["8x8", "5000x1024", "big"])
def test_a_bad_size_is_a_usage_error(tmp_path, size):
    result = run("--size", size, "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE and result.stderr.startswith("error: --size")


def test_out_through_a_symlink_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "work" / "portraits"
    link.parent.mkdir()
    link.symlink_to(elsewhere, target_is_directory=True)
    result = run("--class", "fighter", "--seed", "1", "--out", str(link))
    assert result.exit_code == ExitCode.USAGE
    assert "is a symlink" in result.stderr and f"--out {elsewhere}" in result.stderr
    assert files(elsewhere) == []


def test_a_planted_symlink_with_the_file_name_is_refused(tmp_path):
    data = render(name="Brokk", class_name="fighter", seed=1, width=64, height=64)
    folder = storage.prepare_folder(tmp_path / "out")
    target = tmp_path / "victim.txt"
    target.write_text("keep me")
    (folder / f"brokk-{hashlib.sha256(data).hexdigest()[:12]}.png").symlink_to(target)
    meta = storage.PortraitMeta(name="Brokk", prompt="p", provider="offline", model="m", size="64x64")
    with pytest.raises(UsageError, match="leads outside"):
        storage.save([data], mime="image/png", folder=folder, meta=meta, created="2026-01-01T00:00:00.000Z")
    assert target.read_text() == "keep me" and not list(folder.glob("*.json"))


def test_url_only_answer_is_downloaded_and_the_sidecar_holds_no_url(hosted, tmp_path):
    hosted.script(url_only())
    result = run("--provider", "openai", "--class", "cleric", "--seed", "4", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    image, sidecar = saved_pair(tmp_path / "out")
    assert image.read_bytes() == hosted.png
    assert [r.path for r in hosted.requests] == ["/v1/images/generations", "/files/portrait.png"]
    assert "http" not in json.dumps(sidecar) and "fake-signature" not in json.dumps(sidecar)


def test_from_a_character_file(cli, tmp_path):
    npc = cli("npc", "--provider", "offline", "--class", "druid", "--seed", "5", "--format", "json")
    assert npc.exit_code == 0, npc.stderr
    character = json.loads(npc.stdout)
    (tmp_path / "hero.json").write_text(npc.stdout)
    result = run("--from", str(tmp_path / "hero.json"), "--style", "pixel art", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    _, sidecar = saved_pair(tmp_path / "out")
    assert (sidecar["name"], sidecar["seed"], sidecar["style"]) == (character["name"], 5, "pixel art")
    assert sidecar["prompt"] == compose(character["portrait"]["prompt"], "pixel art")
    assert STYLES["painted"] not in sidecar["prompt"]  # the character's own style text was replaced, not doubled


@pytest.mark.parametrize("content", ["{not json", '{"kind": "character"}', "[]", None])
def test_a_bad_from_file_is_a_usage_error(tmp_path, content):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content)
    result = run("--from", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE, result.stderr
    assert result.stderr.startswith(f"error: --from {path}") and files(tmp_path / "out") == []


def test_dry_run_calls_nothing_writes_nothing_and_needs_no_key(fake_images, tmp_path, monkeypatch, charforge_home):
    monkeypatch.setenv("OPENAI_BASE_URL", fake_images.openai_url)
    result = run("--provider", "openai", "--class", "monk", "--seed", "6", "--style", "token", "--dry-run",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert "via openai (gpt-image-2)" in result.stdout and STYLES["token"] in result.stdout
    assert fake_images.requests == [] and not (tmp_path / "out").exists() and not charforge_home.exists()


def test_stability_errors_map_to_exit_codes(hosted, tmp_path):
    hosted.script(out_of_credits())
    result = run("--provider", "stability", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.PROVIDER and "out of credits" in result.stderr
    hosted.require_key = "another-key-entirely"
    result = run("--provider", "stability", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.PROVIDER and "rejected the API key (401)" in result.stderr
    assert files(tmp_path / "out") == []


@pytest.mark.parametrize("provider", ["openai", "stability", "sdwebui", "offline"])
def test_check_each_provider_ok_and_rejected(hosted, monkeypatch, provider):
    monkeypatch.setenv("CHARFORGE_SDWEBUI_BASE_URL", hosted.url)
    health = check_image_provider(provider, deep=True, timeout=2)
    assert health.ok, health
    assert health.provider == f"images:{provider}" and health.checks[-1].name == "generation"
    if provider in ("openai", "stability"):
        hosted.require_key = "another-key-entirely"
        rejected = check_image_provider(provider, timeout=2)
        assert not rejected.ok and "rejected the API key" in rejected.checks[-1].detail
        monkeypatch.delenv(f"{provider.upper()}_API_KEY")
        assert check_image_provider(provider).checks == [rejected.checks[0].model_copy(update={
            "ok": False, "detail": f"no key: set {provider.upper()}_API_KEY or run 'charforge keys set {provider}'"})]
    if provider == "sdwebui":
        monkeypatch.setenv("CHARFORGE_SDWEBUI_BASE_URL", "http://127.0.0.1:9")
        assert not check_image_provider(provider, timeout=1).ok


def test_keys_never_reach_files_or_output(hosted, tmp_path, charforge_home):
    outputs = []
    for provider, steps in (("openai", [moderation()]), ("openai", []), ("stability", [rate_limit(0)]),
                            ("stability", [])):
        hosted.script(*steps)
        result = run("--provider", provider, "--seed", "1", "--out", str(tmp_path / "out"), "--format", "json")
        outputs += [result.stdout, result.stderr]
    assert KEY not in "".join(outputs)
    written = files(tmp_path / "out") + files(charforge_home)
    assert len(written) >= 3 and not [p for p in written if KEY.encode() in p.read_bytes()]


def check_image_provider(name: str, *, deep: bool = False, timeout: float = 10.0):
    from charforge.config import resolve
    from charforge.service.health import check_provider

    return check_provider(f"images:{name}", resolve().settings, deep=deep, timeout=timeout)


def image_settings(flags: dict | None = None):
    from charforge.config import resolve

    return resolve({f"images.{k}": v for k, v in (flags or {}).items()}).settings.for_images()


def test_image_settings_layers(charforge_home, tmp_path, monkeypatch):
    (charforge_home / "config").mkdir(parents=True)
    config_file = charforge_home / "config" / "config.yaml"
    config_file.write_text("images:\n  provider: stability\n  model: ultra\n  size: 768x768\n")
    settings = image_settings()
    assert (settings.provider, settings.model, settings.size, settings.base_url) == (
        "stability", "ultra", "768x768", "https://api.stability.ai")
    monkeypatch.setenv("CHARFORGE_IMAGES_SIZE", "512x512")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    switched = image_settings({"provider": "openai"})
    assert (switched.model, switched.size, switched.base_url) == ("gpt-image-2", "512x512", "http://127.0.0.1:1/v1")
    with pytest.raises(UsageError, match="--size"):
        image_settings({"size": "huge"})
    with pytest.raises(UsageError, match="no model 'gpt-image-2'"):
        image_settings({"model": "gpt-image-2"})
    config_file.write_text("images:\n  provder: openai\n")
    with pytest.raises(ConfigError, match=r"images\.provder.*unknown key"):
        image_settings()


def test_style_choices_match_the_presets():
    assert [s.value for s in portrait.Style] == list(STYLES)


def test_help_imports_no_image_stack():
    code = ("import sys, charforge.cli, charforge.cli.portrait\n"
            "print(sorted({'PIL', 'openai', 'requests', 'httpx2'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_a_missing_key_is_a_config_error_before_any_call(fake_images, tmp_path, monkeypatch):
    monkeypatch.setenv("STABILITY_BASE_URL", fake_images.url)
    result = run("--provider", "stability", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.CONFIG and "set STABILITY_API_KEY" in result.stderr
    assert fake_images.requests == []
