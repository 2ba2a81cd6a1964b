"""Options shared by several commands, declared once as type aliases (Typer's Annotated style)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from charforge.cli import complete
from charforge.registry import REGISTRY


def _complete_text_providers(incomplete: str) -> list[str]:
    from charforge.registry import registry

    return [n for n in ["auto", *(e.name for e in registry().text_providers())] if n.startswith(incomplete)]


def _complete_formats(incomplete: str) -> list[str]:
    from charforge.registry import registry

    return [e.name for e in registry().all_exporters() if e.name.startswith(incomplete)]


def _builtin_names(table: str) -> str:
    """The built-in names for help text, read from the registry's tables (no plugin is loaded for --help)."""
    return ", ".join(getattr(REGISTRY, table))


class Length(StrEnum):
    QUICK = "quick"
    STANDARD = "standard"
    FULL = "full"


class StructuredOutput(StrEnum):  # sections.StructuredOutput; which a provider has: 'charforge providers'
    AUTO = "auto"
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT = "prompt"
    TOOL = "tool"


_CHARACTER = "Character"
_OUTPUT = "Output"

NameOpt = Annotated[str | None, typer.Option("--name", help="Character name (kept exactly).",
                                             rich_help_panel=_CHARACTER)]
AncestryOpt = Annotated[str | None, typer.Option("--ancestry", help="SRD race or subrace, e.g. hill-dwarf.",
                                                 rich_help_panel=_CHARACTER, autocompletion=complete.ancestries)]
ClassOpt = Annotated[str | None, typer.Option("--class", help="SRD class, e.g. wizard.", rich_help_panel=_CHARACTER,
                                              autocompletion=complete.classes)]
LevelOpt = Annotated[int, typer.Option("--level", help="Character level, 1-20.", rich_help_panel=_CHARACTER)]
AlignmentOpt = Annotated[str | None, typer.Option("--alignment", help="e.g. 'lawful good' or LG.",
                                                  rich_help_panel=_CHARACTER, autocompletion=complete.alignments)]
BackgroundOpt = Annotated[str | None, typer.Option("--background", help="Background, e.g. acolyte or 'river pilot'.",
                                                   rich_help_panel=_CHARACTER)]
ConceptOpt = Annotated[str | None, typer.Option("--concept", help="One-line idea, e.g. 'disgraced court astrologer'.",
                                                rich_help_panel=_CHARACTER)]
SettingOpt = Annotated[str | None, typer.Option("--setting", help="Where the story is set, in a few words.",
                                                rich_help_panel=_CHARACTER)]
LengthOpt = Annotated[Length | None, typer.Option("--length", help="Story length: quick, standard or full "
                                                  "(default: from config).",
                                                  rich_help_panel=_CHARACTER, show_default=False)]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Same seed, same character (random if omitted).",
                                             rich_help_panel=_CHARACTER)]
_PROVIDER = "Provider"
ProviderOpt = Annotated[str | None, typer.Option(
    "--provider", help=f"auto, {_builtin_names('text')}, or a plugin's.", rich_help_panel=_PROVIDER,
    autocompletion=_complete_text_providers)]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model id for this run.", rich_help_panel=_PROVIDER)]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="API base URL, e.g. http://localhost:11434/v1.",
                                                rich_help_panel=_PROVIDER)]
TimeoutOpt = Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for each answer.",
                                                  rich_help_panel=_PROVIDER)]
StructuredOutputOpt = Annotated[StructuredOutput | None, typer.Option(
    "--structured-output", metavar="MODE", help="How the answer is asked for as JSON: auto (the best the server "
    "accepts, remembered per URL), json_schema, json_object, prompt; tool for anthropic (default: from config, "
    "else auto).",
    rich_help_panel=_PROVIDER, show_default=False)]
NoLogOpt = Annotated[bool, typer.Option("--no-log", help="Do not record the calls in the generation log.",
                                        rich_help_panel=_PROVIDER)]
FormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help=f"Output format: {_builtin_names('exporters')}, or a plugin's (default: text).",
    rich_help_panel=_OUTPUT, show_default=False, autocompletion=_complete_formats)]
PartFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help=f"Output format: {', '.join(n for n, e in REGISTRY.exporters.items() if not e.kinds)}, "
    "or a plugin's (default: text).", rich_help_panel=_OUTPUT, show_default=False,
    autocompletion=_complete_formats)]  # background, equipment, spells: the character-only formats are npc's
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.",
                                             rich_help_panel=_OUTPUT, dir_okay=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print stable JSON on stdout.")]

_PROMPT = "Prompt"
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print exactly what would be sent; call nothing.",
                                         rich_help_panel=_PROMPT)]
TemplateOpt = Annotated[Path | None, typer.Option("--template", help="Use this template file.", dir_okay=False,
                                                  rich_help_panel=_PROMPT)]
PromptsDirOpt = Annotated[Path | None, typer.Option("--prompts-dir", help="Look for templates here first.",
                                                    file_okay=False, rich_help_panel=_PROMPT)]
VarOpt = Annotated[list[str] | None, typer.Option("--var", help="Template variable, name=value (repeatable).",
                                                  rich_help_panel=_PROMPT)]
ReplayOpt = Annotated[Path | None, typer.Option(
    "--replay", help="Regenerate the character in this JSON file from its provenance; '-' reads stdin.", dir_okay=False,
    rich_help_panel=_CHARACTER)]
PortraitOpt = Annotated[bool, typer.Option("--portrait", help="Also draw a portrait (see 'charforge portrait') and "
                                            "put its path in the document.", rich_help_panel=_OUTPUT)]
PortraitDirOpt = Annotated[Path | None, typer.Option("--portrait-dir", help="Folder for --portrait images.",
                                                     file_okay=False, rich_help_panel=_OUTPUT)]
