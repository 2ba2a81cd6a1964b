"""`charforge portrait`: draw a character's portrait and save it with a JSON sidecar."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from charforge.cli import render
from charforge.cli.options import (
    AncestryOpt,
    BaseUrlOpt,
    ClassOpt,
    ConceptOpt,
    LevelOpt,
    ModelOpt,
    NameOpt,
    NoLogOpt,
    SeedOpt,
)
from charforge.registry import REGISTRY

if TYPE_CHECKING:  # imported for real inside the command, so `charforge --help` stays fast
    from charforge.service.portraits import PortraitPlan

app = typer.Typer()


class Style(StrEnum):  # the keys of charforge.service.portraits.STYLES (a test keeps them equal)
    PAINTED = "painted"
    INK_SKETCH = "ink sketch"
    TOKEN = "token"
    PHOTOREAL = "photoreal"
    PIXEL_ART = "pixel art"


def _complete_image_providers(incomplete: str) -> list[str]:
    from charforge.registry import registry

    return [e.name for e in registry().image_providers() if e.name.startswith(incomplete)]


class PortraitFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


_IMAGE = "Image"
FromOpt = Annotated[Path | None, typer.Option(
    "--from", help="A character JSON from 'charforge npc --format json'; '-' reads stdin.", dir_okay=False,
    rich_help_panel="Character")]
StyleOpt = Annotated[Style | None, typer.Option("--style", help="Art style (default: the character's, else painted).",
                                                show_default=False, rich_help_panel=_IMAGE)]
SizeOpt = Annotated[str | None, typer.Option("--size", help="WIDTHxHEIGHT, e.g. 1024x1536 (default: the provider's).",
                                             rich_help_panel=_IMAGE)]
CountOpt = Annotated[int, typer.Option("--n", min=1, max=4, help="How many images, 1-4.", rich_help_panel=_IMAGE)]
ImageProviderOpt = Annotated[str | None, typer.Option(
    "--provider", help=f"Image provider: {', '.join(REGISTRY.images)}, or a plugin's (default: from config, "
    "else offline).", show_default=False, rich_help_panel="Provider", autocompletion=_complete_image_providers)]
OutDirOpt = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Folder for the images (default: <data dir>/portraits).", file_okay=False,
    rich_help_panel="Output")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the image prompt and settings; call nothing.",
                                         rich_help_panel="Output")]
FormatOpt = Annotated[PortraitFormat, typer.Option("--format", "-f", help="text: one path per line; json: a list.",
                                                   rich_help_panel="Output")]


@app.command("portrait")
def portrait_command(
    name: NameOpt = None, ancestry: AncestryOpt = None, class_: ClassOpt = None, level: LevelOpt = 1,
    concept: ConceptOpt = None, seed: SeedOpt = None, from_: FromOpt = None,
    style: StyleOpt = None, size: SizeOpt = None, n: CountOpt = 1,
    provider: ImageProviderOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, no_log: NoLogOpt = False,
    out: OutDirOpt = None, dry_run: DryRunOpt = False, format: FormatOpt = PortraitFormat.TEXT,
) -> None:
    """Draw a character's portrait and save it with a JSON sidecar; print the saved paths."""
    from charforge import config
    from charforge.models import CharacterSpec
    from charforge.service import hooks
    from charforge.service.history import generation_log
    from charforge.service.portraits import PortraitService, PortraitSubject

    if from_ is not None:
        subject = PortraitSubject.from_file(from_)
    else:
        subject = PortraitSubject.from_spec(CharacterSpec.from_flags(
            name=name, ancestry=ancestry, class_name=class_, level=level, concept=concept, seed=seed))
    resolved = config.resolve({"images.provider": provider and provider.lower(), "images.model": model,
                               "images.base_url": base_url}).settings
    settings = resolved.for_images()
    options = dict(name=subject.name, class_name=subject.class_name, style=style.value if style else subject.style,
                   size=size, n=n, seed=seed if seed is not None else subject.seed)
    if dry_run:
        _print_plan(PortraitService.plan(settings, subject.prompt, out_dir=out, **options), format)
        return
    with generation_log(enabled=not no_log and resolved.log) as log, hooks.observing_retries(render.retry_status()):
        saved = PortraitService.from_settings(settings, retry=resolved.retry, log=log).generate(
            subject.prompt, out_dir=out, **options)
    if format is PortraitFormat.JSON:
        sys.stdout.write(json.dumps([s.model_dump(mode="json") for s in saved], indent=2) + "\n")
    else:
        sys.stdout.write("".join(f"{s.path}\n" for s in saved))
        render.notice(f"saved {len(saved)} portrait(s) with JSON sidecars")


def _print_plan(plan: PortraitPlan, format: PortraitFormat) -> None:
    if format is PortraitFormat.JSON:
        sys.stdout.write(plan.model_dump_json(indent=2) + "\n")
        return
    request = plan.request
    sys.stdout.write("\n".join([
        f"# dry run: portrait via {plan.provider} ({plan.model}){f' at {plan.base_url}' if plan.base_url else ''}",
        f"# size {request.size}, n {request.n}, style {request.style}, seed {request.seed}, "
        f"format {request.output_format}, quality {request.quality}",
        f"# folder: {plan.folder}", "", request.prompt, ""]))
