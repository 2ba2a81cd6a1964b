"""`charforge prompts`: list, read, edit, validate, diff and reset prompt templates."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from charforge.cli import complete, render
from charforge.cli.options import JsonOpt

app = typer.Typer(no_args_is_help=True)
NameArg = Annotated[str, typer.Argument(help="Template name: background, equipment, spells, portrait or npc.",
                                        autocompletion=complete.templates)]


def _service():
    from charforge.prompts import PromptService

    return PromptService()


@app.command("list")
def list_command(json_: JsonOpt = False) -> None:
    """List templates: version, which layer wins, and whether it overrides the built-in one."""
    from charforge.prompts import catalog

    entries = catalog.entries(_service())
    if json_:
        sys.stdout.write(json.dumps([e.model_dump() for e in entries], indent=2) + "\n")
        return
    render.table([(e.name, e.version, e.source, "yes" if e.overridden else "no", ", ".join(e.variants) or "-", e.path)
                  for e in entries], ("name", "version", "layer", "overridden", "provider variants", "path"))


@app.command("show")
def show_command(
    name: NameArg,
    provider: Annotated[str | None, typer.Option("--provider", help="Show this provider's variant.")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Print the YAML file as it is.")] = False,
) -> None:
    """Show the template that wins for NAME (and --provider): its metadata and its texts."""
    service = _service()
    located = service.find(name, provider)
    if raw:
        sys.stdout.write(located.path.read_text(encoding="utf-8"))
        return
    spec = service.load(located.path).spec
    variant = spec.providers.get(provider) if provider else None
    system = variant.system if variant and variant.system is not None else spec.system
    user = variant.user if variant and variant.user is not None else spec.user
    header = [f"# {spec.name} {spec.version} ({located.source}: {located.path})", f"# output: {spec.output}",
              f"# options: {spec.options.model_dump(exclude_none=True)}"]
    header += [f"# var {v.name} ({v.type}, default {v.default!r}): {v.description}" for v in spec.variables]
    parts = [*header, "", "## context", spec.context.rstrip(), "", "## system", system.rstrip(), "", "## user",
             user.rstrip(), ""]
    sys.stdout.write("\n".join(parts))


@app.command("path")
def path_command() -> None:
    """Print where templates are looked up, first hit wins."""
    for source, folder in _service().layers():
        sys.stdout.write(f"{source}\t{folder}\n")


@app.command("validate")
def validate_command(
    target: Annotated[str | None, typer.Argument(help="A template name or a .yaml file (default: all).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Check templates: YAML, unknown keys, Jinja syntax, undeclared variables, output model, a sample render."""
    from charforge.errors import ExitCode
    from charforge.prompts import catalog
    from charforge.service.planning import sample_context

    results = catalog.validate(_service(), target, sample_context)
    if json_:
        sys.stdout.write(json.dumps([{"path": p, "ok": e is None, "error": e} for p, e in results], indent=2) + "\n")
    else:
        for path, problem in results:
            if problem:
                render.error(problem)
            else:
                render.notice(f"ok {path}")
    if any(problem for _, problem in results):
        raise typer.Exit(ExitCode.USAGE)


@app.command("diff")
def diff_command(name: NameArg) -> None:
    """Show how your override of NAME differs from the built-in template."""
    from charforge.prompts import catalog

    sys.stdout.write(catalog.diff(name) or f"{name}: your override is identical to the built-in template\n")


@app.command("edit")
def edit_command(name: NameArg) -> None:
    """Open your override of NAME in $EDITOR (copying the built-in one first), then validate it.

    A copy the editor did not change, or a failed editor, leaves no override behind: an unchanged copy would hide
    later updates of the built-in template.
    """
    from charforge.errors import ConfigError, ExitCode
    from charforge.prompts import catalog
    from charforge.prompts.service import TemplateError, user_dir
    from charforge.service.planning import sample_context

    existed = (user_dir() / f"{name}.yaml").exists()
    path = catalog.copy_to_user(name)
    before = path.read_bytes()
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        code = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
    except (OSError, ValueError) as exc:
        code = getattr(exc, "strerror", None) or str(exc)
    if code != 0:
        if not existed:
            path.unlink(missing_ok=True)
        why = f"exited with {code}" if isinstance(code, int) else f"could not be run ({code})"
        raise ConfigError(f"the editor {editor!r} ($EDITOR) {why}; {name} was not changed",
                          hint="set EDITOR (or VISUAL) to an editor that works, e.g. EDITOR=nano")
    if not existed and path.read_bytes() == before:
        path.unlink()
        render.notice(f"{name} unchanged: no override kept, the built-in template stays in use")
        return
    try:
        catalog.validate_file(path, sample_context)
    except TemplateError as exc:
        render.error(exc, hint=f"fix it with 'charforge prompts edit {name}', or 'charforge prompts reset {name}'")
        raise typer.Exit(ExitCode.USAGE) from None
    render.notice(f"{path} is valid and now overrides the built-in {name} template")


@app.command("reset")
def reset_command(
    name: NameArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete your override of NAME so the built-in template is used again."""
    from charforge.prompts import catalog
    from charforge.prompts.service import user_dir

    files = [p for p in [user_dir() / f"{name}.yaml", *sorted(user_dir().glob(f"{name}.*.yaml"))] if p.exists()]
    if not files:
        catalog.reset(name)  # UsageError: nothing to reset (asked nothing)
    if not yes and not render.confirm(f"delete {', '.join(map(str, files))}?"):
        render.left_as_it_is(name)
        return
    for removed in catalog.reset(name):
        render.notice(f"removed {Path(removed)}")
