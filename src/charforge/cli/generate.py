"""The generation commands: background, equipment, spells, npc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charforge.cli import output, render
from charforge.cli.options import (
    AlignmentOpt,
    AncestryOpt,
    BackgroundOpt,
    BaseUrlOpt,
    ClassOpt,
    ConceptOpt,
    DryRunOpt,
    FormatOpt,
    LengthOpt,
    LevelOpt,
    ModelOpt,
    NameOpt,
    NoLogOpt,
    OutOpt,
    PartFormatOpt,
    PortraitDirOpt,
    PortraitOpt,
    PromptsDirOpt,
    ProviderOpt,
    ReplayOpt,
    SeedOpt,
    SettingOpt,
    StructuredOutputOpt,
    TemplateOpt,
    TimeoutOpt,
    VarOpt,
)

if TYPE_CHECKING:
    from charforge.models import Provenance

app = typer.Typer()
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 5 instead of filling fields the model's answer "
                                         "lacks from the offline generator.")]


PARTS = ("background", "equipment", "spells")
DOCUMENT_KINDS = {"background": "background", "equipment": "equipment", "spells": "spells", "npc": "character"}
COMMANDS = {
    "background": "Write a character's story: early life, turning points, recent history, mysteries, hooks.",
    "equipment": "Pick SRD gear: the class starting kit plus purchases within the character's budget.",
    "spells": "Pick SRD spells the class can know at its level, with slots, save DC and attack bonus.",
    "npc": "Generate a whole character: stats, story, gear, spells and a portrait prompt.",
}


def part_command(
    ctx: typer.Context,
    name: NameOpt = None, ancestry: AncestryOpt = None, class_: ClassOpt = None, level: LevelOpt = 1,
    alignment: AlignmentOpt = None, background: BackgroundOpt = None, concept: ConceptOpt = None,
    setting: SettingOpt = None, length: LengthOpt = None, seed: SeedOpt = None,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, timeout: TimeoutOpt = None,
    structured_output: StructuredOutputOpt = None,
    no_log: NoLogOpt = False, format: PartFormatOpt = None, out: OutOpt = None,
    dry_run: DryRunOpt = False, template: TemplateOpt = None, prompts_dir: PromptsDirOpt = None, var: VarOpt = None,
    strict: StrictOpt = False,
) -> None:
    """background, equipment and spells: one part of a character; the command's name says which."""
    _generate(ctx, ctx.command.name, dict(ctx.params))


for _kind in PARTS:
    app.command(_kind, help=COMMANDS[_kind])(part_command)


@app.command("npc", help=COMMANDS["npc"])
def npc_command(
    ctx: typer.Context,
    name: NameOpt = None, ancestry: AncestryOpt = None, class_: ClassOpt = None, level: LevelOpt = 1,
    alignment: AlignmentOpt = None, background: BackgroundOpt = None, concept: ConceptOpt = None,
    setting: SettingOpt = None, length: LengthOpt = None, seed: SeedOpt = None, replay: ReplayOpt = None,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, timeout: TimeoutOpt = None,
    structured_output: StructuredOutputOpt = None,
    no_log: NoLogOpt = False, format: FormatOpt = None, out: OutOpt = None,
    portrait: PortraitOpt = False, portrait_dir: PortraitDirOpt = None,
    dry_run: DryRunOpt = False, template: TemplateOpt = None, prompts_dir: PromptsDirOpt = None, var: VarOpt = None,
    strict: StrictOpt = False,
) -> None:
    _generate(ctx, "npc", dict(ctx.params))


def _generate(ctx: typer.Context, kind: str, p: dict) -> None:
    """One body for every generation command: check everything that can be checked, then generate."""
    from charforge import config
    from charforge.export import check_format
    from charforge.models import CharacterSpec
    from charforge.prompts import PromptService
    from charforge.service import CharacterService, hooks

    p["out"], p["format"] = output.target(p["out"], p["format"])  # -o - is stdout; the extension picks the format
    replay, portrait = p.get("replay"), p.get("portrait", False)
    source = _replay(ctx, replay) if replay is not None else None
    length, structured = p["length"], p["structured_output"]
    settings = config.resolve({
        "provider": (p["provider"] or (source.provider if source else None) or "").lower() or None,
        "model": p["model"] or _model_of(source), "base_url": p["base_url"], "timeout": p["timeout"],
        "log": False if p["no_log"] else None, "structured_output": structured and structured.value,
        "format": p["format"] and p["format"].lower(), "length": length and length.value,
        "strict": True if p["strict"] else None}).settings
    check_format(settings.format, DOCUMENT_KINDS[kind])
    out = p["out"]
    render.check_writable(out, fmt=settings.format)
    spec = source.spec if source else CharacterSpec.from_flags(
        name=p["name"], ancestry=p["ancestry"], class_name=p["class_"], level=p["level"], alignment=p["alignment"],
        background=p["background"], concept=p["concept"], setting=p["setting"], length=settings.length,
        seed=p["seed"])
    prompts = PromptService(template_file=p["template"], prompts_dir=p["prompts_dir"], variables=_pairs(p["var"] or []))
    if p["dry_run"]:
        render.dry_run(CharacterService.dry_run(settings, prompts, kind, spec), settings.format, out)
        return
    service, notice = CharacterService.from_settings(settings, command=kind, prompts=prompts)
    with hooks.observing_retries(render.retry_status()):
        document = getattr(service, kind)(spec)
        if portrait:
            from charforge.service.portraits import attach_portrait

            document = attach_portrait(document, out_dir=p["portrait_dir"], log=service.caller.log)
    for line in [notice, *service.notices]:
        if line:
            render.notice(line)
    render.document(document, settings.format, out)


def _replay(ctx: typer.Context, path: Path) -> Provenance:
    """Read a document's provenance; --replay regenerates from it and takes no character flags."""
    from charforge.errors import UsageError
    from charforge.service import replay_source

    given = [p for p in ("name", "ancestry", "class_", "alignment", "background", "concept", "setting", "seed")
             if ctx.params.get(p) is not None] + (["level"] if ctx.params.get("level") != 1 else [])
    if given:
        raise UsageError(f"--replay takes the character from the file; drop --{given[0].rstrip('_')}",
                         hint="the document's provenance records what was asked for")
    return replay_source(path)


def _model_of(source: Provenance | None) -> str | None:
    return source.model if source and source.provider not in ("offline", "mock") else None


def _pairs(values: list[str]) -> dict[str, str]:
    from charforge.errors import UsageError

    pairs = {}
    for value in values:
        name, sep, raw = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {value!r}: expected name=value", hint="e.g. --var tone=grim")
        pairs[name.strip()] = raw
    return pairs
