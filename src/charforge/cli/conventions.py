"""CLI conventions applied to the whole command tree at start-up, so no command can forget them.

- Plain metavars: `TEXT`, `INT`, `FLOAT`, `FILE`, `DIR`, a choice's name in capitals (its values in the help
  text), and none on a flag. Typer 0.29 prints `<bool>`, `<list[str]>` and `<float range> [x>=0.1]` and has no
  hook for it, so each parameter object is given its metavar here (ranges go into the help sentence).
- Help paragraphs are sentences: Typer's rich mode keeps a docstring's single line breaks, so they are joined.
- Every command ends its `--help` with 2-3 examples (`cli/examples.py`).
- Global `-v/-q/--debug` work after the command too: they are moved in front of it (`hoist_global_flags`).

Only cheap attribute work happens here; `charforge --help` must stay fast.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any, get_args, get_origin

import typer

from charforge.cli.examples import EXAMPLES

GLOBAL_FLAGS = re.compile(r"^(-v+|-q|--verbose|--quiet|--debug)$")
_TYPES = {str: "TEXT", int: "INT", float: "FLOAT", bool: ""}
_PATHS = {"file": "FILE", "dir": "DIR", "path": "PATH"}


def polish(root: Any) -> None:
    """Apply the conventions to `root` (the Click group Typer built) and every command under it, once."""
    if getattr(root, "_charforge_polished", False):
        return
    root._charforge_polished = True
    _polish_command(root, ())


def _polish_command(command: Any, path: tuple[str, ...]) -> None:
    if command.help:
        command.help = reflow(command.help)
    if path and not command.epilog and " ".join(path) in EXAMPLES:
        command.epilog = "Examples:\n\n" + "\n".join(f"  {line}" for line in EXAMPLES[" ".join(path)])
    for param in command.params:
        _plain(param)
    help_option = command.get_help_option(typer.Context(command, help_option_names=["-h", "--help"]))
    if help_option is not None:
        help_option.metavar = ""
    for name, sub in getattr(command, "commands", {}).items():
        _polish_command(sub, (*path, name))


def reflow(text: str) -> str:
    """Join each paragraph's lines into one (a paragraph starting with \\b keeps its lines)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def _plain(param: Any) -> None:
    metavar = _metavar(param)
    if param.param_type_name == "argument":
        param.metavar = param.metavar or param.name.upper()
        param.display_type_rich = lambda ctx, _m=metavar: _m  # the name column shows the argument's own name
    elif param.metavar is None:
        param.metavar = metavar
    words = _range_words(param)
    if words and not re.search(r"\d", param.help or ""):
        param.help = f"{(param.help or '').rstrip('.')} ({words})."
    param._get_number_range_help_str = lambda: None  # said in words above
    desc = param.type_descriptor
    if desc.is_choice and param.help is not None:
        values = [getattr(c, "value", c) for c in desc.choices or ()]
        if not all(str(v) in param.help for v in values):
            param.help = f"{param.help.rstrip('.')}: {', '.join(map(str, values))}."


def _metavar(param: Any) -> str:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return (param.name or "value").upper()
    if desc.is_path:
        return _PATHS.get(desc.path_type, "PATH")
    if desc.is_datetime:
        return "DATE"
    annotation = desc.annotation
    while get_origin(annotation) in (list, tuple):
        annotation = get_args(annotation)[0]
    return _TYPES.get(annotation, "TEXT")


def _range_words(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if getattr(param, "count", False) or (low is None and high is None):
        return ""
    if low is not None and high is not None:
        return f"{low}-{high}"
    return f"at least {low}" if low is not None else f"at most {high}"


def hoist_global_flags(root: Any, argv: Sequence[str]) -> list[str]:
    """Move -v/-q/--debug found after the command in front of it, where the root group reads them.

    A flag's look-alike given as an option's value (`--concept -q`) stays where it is, as does anything after `--`.
    """
    args = list(argv)
    command, i = root, 0
    while i < len(args) and hasattr(command, "commands"):
        token = args[i]
        if token in command.commands:
            command, i = command.commands[token], i + 1
        elif token.startswith("-") and not GLOBAL_FLAGS.match(token) and _takes_value(command, token):
            i += 2
        else:
            i += 1
    if command is root:
        return args
    own = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
    head, moved, rest, j = args[:i], [], [], i
    while j < len(args):
        token = args[j]
        if token == "--":
            rest.extend(args[j:])
            break
        if GLOBAL_FLAGS.match(token) and token not in own:
            moved.append(token)
        else:
            rest.append(token)
            if "=" not in token and _takes_value(command, token):
                rest.extend(args[j + 1:j + 2])
                j += 1
        j += 1
    return [*moved, *head, *rest]


def _takes_value(command: Any, token: str) -> bool:
    for param in command.params:
        if token in (*param.opts, *param.secondary_opts):
            return param.param_type_name == "option" and not (param.is_flag or param.count)
    return False
