"""The root command and the error boundary: every CharforgeError becomes one line and an exit code."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from charforge import __version__
from charforge.errors import CharforgeError, ExitCode

log = logging.getLogger("charforge")


def _debug_requested(args: Sequence[str]) -> bool:
    import os

    return "--debug" in args or os.environ.get("CHARFORGE_DEBUG", "") not in ("", "0")


def _traceback() -> None:
    """The traceback of the error being handled, with every known key scrubbed out."""
    import traceback

    from charforge.redact import redact

    sys.stderr.write(redact(traceback.format_exc()))


def _os_error(exc: OSError) -> str:
    """One line for an OSError no layer below turned into a CharforgeError: the path (or stdout), the reason."""
    import errno

    if exc.filename is not None:
        return f"cannot use {exc.filename}: {exc.strerror or exc}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE):
        return f"cannot write to stdout: {exc.strerror}"
    return f"{exc.strerror or exc}"


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit cannot fail a second time."""
    import os
    from contextlib import suppress

    with suppress(OSError, ValueError, AttributeError):  # io.UnsupportedOperation (a ValueError) under CliRunner
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class CharforgeGroup(TyperGroup):
    """Translate errors at one boundary, so CliRunner tests see exactly what users see."""

    def main(self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any) -> Any:
        from charforge.cli import render
        from charforge.cli.conventions import hoist_global_flags, polish

        polish(self)
        argv = hoist_global_flags(self, sys.argv[1:] if args is None else args)
        debug = _debug_requested(argv)
        kwargs["standalone_mode"] = False
        try:
            from charforge.inputs import check_argv

            check_argv(argv)  # a byte that is not UTF-8 never reaches a command, a file or the terminal
            code = super().main(argv, *pos, **kwargs)
            sys.stdout.flush()  # here, not at exit: a full disk or a closed pipe is reported like any error
        except BrokenPipeError:  # the reader stopped reading (`| head`): what it wanted, it has
            _drop_stdout()
            sys.exit(ExitCode.OK)
        except OSError as exc:  # the environment, not a bug: a full disk, a file that cannot be read or written
            if debug:
                _traceback()
            _drop_stdout()
            render.error(_os_error(exc), hint="check the path, its permissions and the free space")
            sys.exit(ExitCode.USAGE)
        except CharforgeError as exc:
            if debug:
                _traceback()
            render.error(exc)
            sys.exit(exc.exit_code)
        except typer.TyperException as exc:  # Typer's usage errors: bad option, bad value, no such command
            if type(exc).__name__ == "NoArgsIsHelpError":
                sys.stdout.write(exc.format_message() + "\n")
                sys.exit(ExitCode.OK)
            ctx = getattr(exc, "ctx", None)
            command = ctx.command_path if ctx else "charforge"
            render.error(exc.format_message(), hint=f"run '{command} --help' to see what is allowed")
            sys.exit(ExitCode.USAGE)
        except (KeyboardInterrupt, typer.Abort):
            render.error("interrupted")
            sys.exit(ExitCode.INTERRUPTED)
        except Exception as exc:  # a bug: one line unless --debug, which shows the traceback
            if debug:
                _traceback()
            render.error(f"internal error ({type(exc).__name__}): {exc}",
                         hint="rerun with --debug and report the traceback")
            sys.exit(ExitCode.ERROR)
        sys.exit(code if isinstance(code, int) else ExitCode.OK)


app = typer.Typer(
    cls=CharforgeGroup,
    name="charforge",
    help="Generate tabletop RPG characters: SRD 5.1-legal numbers, stories from an LLM or fully offline.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals can hold API keys
    # token_normalize_func: choices are case-insensitive everywhere (-f JSON as --class Wizard)
    context_settings={"help_option_names": ["-h", "--help"], "token_normalize_func": str.lower},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"charforge {__version__}\n")
        raise typer.Exit()


def _setup_logging(verbose: int, log_file: Path | None) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        level = min(level, logging.INFO)
    from charforge.redact import RedactingFilter

    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactingFilter())
    log.handlers[:] = handlers
    log.setLevel(level)
    log.propagate = False


@app.callback()
def root(
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug, on stderr.",
                                          show_default=False)] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No notices or progress; errors still print.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    log_file: Annotated[Path | None, typer.Option("--log-file", help="Also write logs to this file.",
                                                  dir_okay=False)] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Generate tabletop RPG characters: SRD 5.1-legal numbers, stories from an LLM or fully offline."""
    if log_file is not None:
        from charforge.files import check_writable

        check_writable(log_file)
    from charforge.cli import render

    render.QUIET["on"] = quiet
    render.VERBOSE["level"] = verbose + debug * 2  # -v shows retries as log lines, not as a status line
    _setup_logging(verbose + debug * 2, log_file)


def _register() -> None:
    from charforge.cli import batch, check, config, generate, history, jobs, keys, portrait, prompts, providers, schema

    app.add_typer(generate.app)  # no name: its commands join the root
    app.add_typer(portrait.app)
    app.add_typer(check.app)
    app.add_typer(providers.app)
    app.add_typer(batch.worker_app)
    app.add_typer(batch.app, name="batch", help="Queue many characters: submit a batch file or --count N.")
    app.add_typer(jobs.app, name="jobs", help="List, inspect, retry, cancel, export and prune queued jobs.")
    app.add_typer(schema.app)
    app.add_typer(config.app, name="config", help="Show resolved settings and where files live.")
    app.add_typer(keys.app, name="keys", help="Store API keys and see where each comes from.")
    app.add_typer(prompts.app, name="prompts", help="List, read, edit and validate prompt templates.")
    app.add_typer(history.app, name="history", help="Show logged provider calls, tokens and estimated cost.")


_register()


def main() -> None:
    app()
