"""The generation commands: background, equipment, spells, npc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
    TemplateOpt,
    TimeoutOpt,
    VarOpt,
)

if TYPE_CHECKING:
    from charforge.models import Provenance

app = typer.Typer()


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
    no_log: NoLogOpt = False, format: FormatOpt = None, out: OutOpt = None,
    dry_run: DryRunOpt = False, template: TemplateOpt = None, prompts_dir: PromptsDirOpt = None, var: VarOpt = None,
    replay: ReplayOpt = None, portrait: PortraitOpt = False, portrait_dir: PortraitDirOpt = None,
) -> None:
    """One body for every generation command; the command's name says what to generate."""
    from charforge import config
    from charforge.errors import UsageError
    from charforge.models import CharacterSpec
    from charforge.prompts import PromptService
    from charforge.service import CharacterService

    flags = {"provider": provider, "model": model, "base_url": base_url, "timeout": timeout,
             "log": False if no_log else None, "format": format and format.value, "length": length and length.value}
    if replay is not None:
        source = _replay(ctx, replay, flags)
        flags |= {"provider": provider or source.provider, "model": model or _model_of(source)}
    settings = config.resolve(flags).settings
    render.check_writable(out)
    if replay is not None:
        spec = source.spec
    else:
        spec = CharacterSpec.from_flags(
            name=name, ancestry=ancestry, class_name=class_, level=level, alignment=alignment, background=background,
            concept=concept, setting=setting, length=settings.length, seed=seed,
        )
    prompts = PromptService(template_file=template, prompts_dir=prompts_dir, variables=_pairs(var or []))
    if dry_run:
        render.dry_run(CharacterService.dry_run(settings, prompts, ctx.command.name, spec), settings.format, out)
        return
    service, notice = CharacterService.from_settings(settings, command=ctx.command.name, prompts=prompts)
    document = getattr(service, ctx.command.name)(spec)
    if portrait:
        if ctx.command.name != "npc":
            raise UsageError("--portrait works with 'charforge npc'", hint="or use 'charforge portrait'")
        from charforge.images.service import attach_portrait

        document = attach_portrait(document, out_dir=portrait_dir, log=service.caller.log)
    if notice:
        render.notice(notice)
    render.document(document, settings.format, out)


def _replay(ctx: typer.Context, path: Path, flags: dict[str, object]) -> Provenance:
    """Read a document's provenance; --replay regenerates from it and takes no character flags."""
    from charforge.errors import UsageError
    from charforge.service import replay_source

    if ctx.command.name != "npc":
        raise UsageError("--replay works with 'charforge npc'", hint="replay a character document")
    given = [p for p in ("name", "ancestry", "class_", "alignment", "background", "concept", "setting", "seed")
             if ctx.params.get(p) is not None] + (["level"] if ctx.params.get("level") != 1 else [])
    if given:
        raise UsageError(f"--replay takes the character from the file; drop --{given[0].rstrip('_')}",
                         hint="the document's provenance records what was asked for")
    return replay_source(path)


def _model_of(source: Provenance) -> str | None:
    return source.model if source.provider not in ("offline", "mock") else None


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
