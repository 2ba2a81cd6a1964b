"""The generation commands: background, equipment, spells, npc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charforge.cli import render
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


DOCUMENT_KINDS = {"background": "background", "equipment": "equipment", "spells": "spells", "npc": "character"}
COMMANDS = {
    "background": "Write a character's story: early life, turning points, recent history, mysteries, hooks.",
    "equipment": "Pick SRD gear: the class starting kit plus purchases within the character's budget.",
    "spells": "Pick SRD spells the class can know at its level, with slots, save DC and attack bonus.",
    "npc": "Generate a whole character: stats, story, gear, spells and a portrait prompt.",
}


def generate_command(
    ctx: typer.Context,
    name: NameOpt = None, ancestry: AncestryOpt = None, class_: ClassOpt = None, level: LevelOpt = 1,
    alignment: AlignmentOpt = None, background: BackgroundOpt = None, concept: ConceptOpt = None,
    setting: SettingOpt = None, length: LengthOpt = None, seed: SeedOpt = None,
    provider: ProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, timeout: TimeoutOpt = None,
    structured_output: StructuredOutputOpt = None,
    no_log: NoLogOpt = False, format: FormatOpt = None, out: OutOpt = None,
    dry_run: DryRunOpt = False, template: TemplateOpt = None, prompts_dir: PromptsDirOpt = None, var: VarOpt = None,
    replay: ReplayOpt = None, portrait: PortraitOpt = False, portrait_dir: PortraitDirOpt = None,
    strict: StrictOpt = False,
) -> None:
    """One body for every generation command; the command's name says what to generate."""
    from charforge import config
    from charforge.export import check_format
    from charforge.models import CharacterSpec
    from charforge.prompts import PromptService
    from charforge.service import CharacterService, hooks

    kind = ctx.command.name
    _npc_only(kind, replay=replay is not None, portrait=portrait)
    source = _replay(ctx, replay) if replay is not None else None
    settings = config.resolve({
        "provider": provider or (source.provider if source else None), "model": model or _model_of(source),
        "base_url": base_url, "timeout": timeout, "log": False if no_log else None,
        "structured_output": structured_output and structured_output.value,
        "format": format and format.lower(), "length": length and length.value,
        "strict": True if strict else None}).settings
    check_format(settings.format, DOCUMENT_KINDS[kind])
    render.check_writable(out, fmt=settings.format)
    spec = source.spec if source else CharacterSpec.from_flags(
        name=name, ancestry=ancestry, class_name=class_, level=level, alignment=alignment, background=background,
        concept=concept, setting=setting, length=settings.length, seed=seed)
    prompts = PromptService(template_file=template, prompts_dir=prompts_dir, variables=_pairs(var or []))
    if dry_run:
        render.dry_run(CharacterService.dry_run(settings, prompts, kind, spec), settings.format, out)
        return
    service, notice = CharacterService.from_settings(settings, command=kind, prompts=prompts)
    with hooks.observing_retries(render.retry_status()):
        document = getattr(service, kind)(spec)
        if portrait:
            from charforge.service.portraits import attach_portrait

            document = attach_portrait(document, out_dir=portrait_dir, log=service.caller.log)
    for line in [notice, *service.notices]:
        if line:
            render.notice(line)
    render.document(document, settings.format, out)


def _npc_only(kind: str, *, replay: bool, portrait: bool) -> None:
    from charforge.errors import UsageError

    for used, flag in ((replay, "--replay"), (portrait, "--portrait")):
        if used and kind != "npc":
            raise UsageError(f"{flag} works with 'charforge npc'", hint=f"run 'charforge npc {flag} …'")


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


for _name, _help in COMMANDS.items():
    app.command(_name, help=_help)(generate_command)
