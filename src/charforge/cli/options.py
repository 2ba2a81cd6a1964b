"""Options shared by several commands, declared once as type aliases (Typer's Annotated style)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"
    YAML = "yaml"
    FOUNDRY = "foundry"  # experimental: a Foundry VTT dnd5e actor (npc only)


class Length(StrEnum):
    QUICK = "quick"
    STANDARD = "standard"
    FULL = "full"


_CHARACTER = "Character"
_OUTPUT = "Output"

NameOpt = Annotated[str | None, typer.Option("--name", help="Character name (kept exactly).",
                                             rich_help_panel=_CHARACTER)]
AncestryOpt = Annotated[str | None, typer.Option("--ancestry", help="SRD race or subrace, e.g. hill-dwarf.",
                                                 rich_help_panel=_CHARACTER)]
ClassOpt = Annotated[str | None, typer.Option("--class", help="SRD class, e.g. wizard.", rich_help_panel=_CHARACTER)]
LevelOpt = Annotated[int, typer.Option("--level", help="Character level, 1-20.", rich_help_panel=_CHARACTER)]
AlignmentOpt = Annotated[str | None, typer.Option("--alignment", help="e.g. 'lawful good' or LG.",
                                                  rich_help_panel=_CHARACTER)]
BackgroundOpt = Annotated[str | None, typer.Option("--background", help="Background, e.g. acolyte or 'river pilot'.",
                                                   rich_help_panel=_CHARACTER)]
ConceptOpt = Annotated[str | None, typer.Option("--concept", help="One-line idea, e.g. 'disgraced court astrologer'.",
                                                rich_help_panel=_CHARACTER)]
SettingOpt = Annotated[str | None, typer.Option("--setting", help="Where the story is set, in a few words.",
                                                rich_help_panel=_CHARACTER)]
LengthOpt = Annotated[Length | None, typer.Option("--length", help="Story length (default: from config).",
                                                  rich_help_panel=_CHARACTER, show_default=False)]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Same seed, same character (random if omitted).",
                                             rich_help_panel=_CHARACTER)]
_PROVIDER = "Provider"
ProviderOpt = Annotated[str | None, typer.Option(
    "--provider", help="auto, offline, mock, anthropic, openai, openai-compatible.", rich_help_panel=_PROVIDER)]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model id for this run.", rich_help_panel=_PROVIDER)]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="API base URL, e.g. http://localhost:11434/v1.",
                                                rich_help_panel=_PROVIDER)]
TimeoutOpt = Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for each answer.",
                                                  rich_help_panel=_PROVIDER)]
NoLogOpt = Annotated[bool, typer.Option("--no-log", help="Do not record the calls in the generation log.",
                                        rich_help_panel=_PROVIDER)]
FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help="Output format (default: text).",
                                                  rich_help_panel=_OUTPUT, show_default=False)]
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
ReplayOpt = Annotated[Path | None, typer.Option("--replay", help="npc: regenerate the character in this JSON file "
                                                "from its provenance.", dir_okay=False, rich_help_panel=_CHARACTER)]
PortraitOpt = Annotated[bool, typer.Option("--portrait", help="npc: also draw a portrait (see 'charforge portrait') "
                                            "and put its path in the document.", rich_help_panel=_OUTPUT)]
PortraitDirOpt = Annotated[Path | None, typer.Option("--portrait-dir", help="Folder for --portrait images.",
                                                     file_okay=False, rich_help_panel=_OUTPUT)]
