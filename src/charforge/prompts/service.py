"""PromptService: find → load → validate → render → cache.

Lookup, first hit wins: `--template FILE` → `--prompts-dir DIR` (or CHARFORGE_PROMPTS_DIR) →
`<config dir>/prompts/` → the built-in templates. Inside one layer `background.anthropic.yaml`
beats `background.yaml`, whose `providers:` block beats its generic text. Templates render in
Jinja2's sandbox with StrictUndefined, so a typo or a reach for Python internals is an error, never
a silent blank. Compiled templates are cached on path + mtime: an edited override is picked up on
the next call.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from charforge import config
from charforge.errors import ConfigError, UsageError
from charforge.files import bundled, read_yaml_node
from charforge.inputs import VAR_MAX, check_text
from charforge.models import KINDS, TemplateUse
from charforge.prompts.schema import OUTPUT_MODELS, GenerationOptions, TemplateFile, Variable
from charforge.validation import first_location, first_message

BUILTIN_NAMES = KINDS  # one built-in template per kind of document


class TemplateError(UsageError):
    """A template cannot be used: bad YAML, an unknown key, bad Jinja, an undeclared variable."""


def builtin_dir() -> Path:
    """`prompts/` packaged in the wheel as charforge/templates, or at the top of a source checkout."""
    if found := bundled("templates", "prompts", "background.yaml"):
        return found
    raise ConfigError("charforge's built-in prompt templates are missing from this installation",
                      hint="reinstall charforge")


def user_dir() -> Path:
    return config.config_dir() / "prompts"


@dataclass(frozen=True)
class Located:
    path: Path
    source: str  # file | prompts-dir | user | builtin


@dataclass(frozen=True)
class Rendered:
    """Exactly what a provider is sent for one request."""

    system: str
    user: str
    options: GenerationOptions
    output: type[BaseModel]
    use: TemplateUse


@dataclass(frozen=True)
class Compiled:
    spec: TemplateFile
    path: Path
    parts: dict[str, Any]  # "system" / "user" / "anthropic.user" … -> compiled jinja template
    lines: dict[str, int]  # the same keys -> the file line where that text starts


class PromptService:
    """Find, validate and render prompt templates.

    Args:
        template_file: `--template FILE`: used for whatever template the command needs.
        prompts_dir: `--prompts-dir DIR`; defaults to $CHARFORGE_PROMPTS_DIR when set.
        variables: `--var name=value` pairs, checked against each template's declared variables.
    """

    _cache: ClassVar[dict[Path, tuple[int, int, Compiled]]] = {}  # shared: one compile per file per process

    def __init__(self, *, template_file: Path | None = None, prompts_dir: Path | None = None,
                 variables: dict[str, str] | None = None) -> None:
        self.template_file = template_file
        env_dir = os.environ.get("CHARFORGE_PROMPTS_DIR")
        self.prompts_dir = prompts_dir or (Path(env_dir).expanduser() if env_dir else None)
        self.variables = {name: check_text(f"--var {name}", value, VAR_MAX)
                          for name, value in (variables or {}).items()}

    # -- finding -------------------------------------------------------------------------------

    def layers(self) -> list[tuple[str, Path]]:
        found = [("prompts-dir", self.prompts_dir)] if self.prompts_dir else []
        return [*found, ("user", user_dir()), ("builtin", builtin_dir())]

    def find(self, name: str, provider: str | None = None) -> Located:
        if self.template_file is not None:
            if not self.template_file.is_file():
                raise TemplateError(f"--template {self.template_file}: no such file", hint="check the path")
            return Located(self.template_file, "file")
        for source, folder in self.layers():
            candidates = ([folder / f"{name}.{provider}.yaml"] if provider else []) + [folder / f"{name}.yaml"]
            for path in candidates:
                if path.is_file():
                    return Located(path, source)
        raise TemplateError(f"no template named {name!r}",
                            hint=f"built-in templates: {', '.join(BUILTIN_NAMES)}; see 'charforge prompts list'")

    def names(self) -> list[str]:
        """Every template name in any layer (provider variant files count under their base name)."""
        found = set()
        for _, folder in self.layers():
            if folder.is_dir():
                found |= {p.name.split(".", 1)[0] for p in folder.glob("*.yaml")}
        return sorted(found)

    # -- loading -------------------------------------------------------------------------------

    def load(self, path: Path) -> Compiled:
        """Parse, validate and compile one file; cached until the file changes."""
        try:
            stat = path.stat()
        except OSError as exc:
            raise TemplateError(f"{path}: cannot read ({exc.strerror})", hint="check the path") from None
        cached = self._cache.get(path)
        if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            return cached[2]
        compiled = _compile(path)
        self._cache[path] = (stat.st_mtime_ns, stat.st_size, compiled)
        return compiled

    # -- rendering -----------------------------------------------------------------------------

    def render(self, name: str, provider: str, context: dict[str, Any]) -> Rendered:
        located = self.find(name, provider)
        compiled = self.load(located.path)
        spec = compiled.spec
        values = {**context, **self._variables(spec, located.path), "provider": provider}
        variant = spec.providers.get(provider)
        values["context"] = _render(compiled, "context", values) if "context" in compiled.parts else ""
        texts = {}
        for part in ("system", "user"):
            key = f"{provider}.{part}" if variant and getattr(variant, part) is not None else part
            texts[part] = _render(compiled, key, values)
        options = spec.options
        if variant and variant.options:
            options = options.model_copy(update=variant.options.model_dump(exclude_none=True))
        digest = hashlib.sha256(json.dumps([texts["system"], texts["user"]]).encode()).hexdigest()
        use = TemplateUse(name=spec.name, version=spec.version, source=located.source, path=str(located.path),
                          sha256=digest)
        return Rendered(system=texts["system"], user=texts["user"], options=options,
                        output=OUTPUT_MODELS[spec.output], use=use)

    def check_variables(self, name: str, provider: str) -> None:
        """Check the `--var` values against template `name` without rendering it, for providers that read no
        template (offline, mock): a mistake fails the same way whatever the provider.

        A `--template FILE` is checked the same way: it must exist and be a valid template.

        Raises:
            TemplateError: no such template file, an invalid one, a variable the template does not declare, or a
                value it does not allow.
        """
        if self.variables or self.template_file is not None:
            located = self.find(name, provider)
            self._variables(self.load(located.path).spec, located.path)

    def _variables(self, spec: TemplateFile, path: Path) -> dict[str, Any]:
        declared = {v.name: v for v in spec.variables}
        if unknown := sorted(set(self.variables) - set(declared)):
            raise TemplateError(f"--var {unknown[0]}: {path} declares no such variable",
                                hint=f"it declares: {', '.join(declared) or 'none'}")
        values = {name: v.default for name, v in declared.items()}
        values |= {name: _convert(declared[name], raw, path) for name, raw in self.variables.items()}
        return values


# -- compiling -------------------------------------------------------------------------------


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=False)


def _compile(path: Path) -> Compiled:
    from jinja2 import TemplateSyntaxError, meta

    data, node = read_yaml_node(path, error=TemplateError,
                                hint="fix the YAML; 'charforge prompts validate' checks a file")
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: a template is a YAML mapping", hint="see 'charforge prompts show background'")
    try:
        spec = TemplateFile.model_validate(data)
    except ValidationError as exc:
        key = first_location(exc)
        line = _line_of(node, key.split(".")[:2])
        raise TemplateError(f"{path}{line}: {key}: {first_message(exc)}",
                            hint="see the template format in the README") from None
    if spec.output not in OUTPUT_MODELS:
        raise TemplateError(f"{path}{_line_of(node, ['output'])}: output: no model named {spec.output!r}",
                            hint=f"use one of: {', '.join(OUTPUT_MODELS)}")
    env = _environment()
    sources = {"context": spec.context, "system": spec.system, "user": spec.user}
    for provider, variant in spec.providers.items():
        sources |= {f"{provider}.{part}": getattr(variant, part) for part in ("system", "user")
                    if getattr(variant, part) is not None}
    parts, lines = {}, {}
    allowed = known_names() | {v.name for v in spec.variables}
    for key, source in sources.items():
        start = _text_start(node, ["providers", *key.split(".")] if "." in key else [key])
        lines[key] = start
        try:
            parsed = env.parse(source)
            parts[key] = env.from_string(source)  # compiling also finds unknown filters and tests
        except TemplateSyntaxError as exc:
            raise TemplateError(f"{path}:{start + (exc.lineno or 1) - 1}: {key}: {exc.message}",
                                hint="fix the Jinja syntax") from None
        undeclared = sorted(meta.find_undeclared_variables(parsed) - allowed - set(env.globals))
        if undeclared:
            raise TemplateError(f"{path}:{start}: {key}: undeclared variable {undeclared[0]!r}",
                                hint="declare it under 'variables:' or use a built-in name "
                                     "('charforge prompts show NAME --raw' shows examples)")
    return Compiled(spec=spec, path=path, parts=parts, lines=lines)


def _render(compiled: Compiled, key: str, values: dict[str, Any]) -> str:
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        return compiled.parts[key].render(values).strip()
    except SecurityError as exc:
        raise TemplateError(f"{compiled.path}:{compiled.lines[key]}: {key}: refused by the sandbox ({exc})",
                            hint="templates may only use the variables charforge gives them") from None
    except JinjaError as exc:
        message = getattr(exc, "message", None) or str(exc)
        if "unsafe" in message:
            message = f"refused by the sandbox ({message})"
        raise TemplateError(f"{compiled.path}:{compiled.lines[key]}: {key}: {message}",
                            hint="check the variable names; 'charforge prompts validate' checks a file") from None


def known_names() -> set[str]:
    """Names every template may use: the brief's fields and what the service adds."""
    from charforge.models import Brief

    return set(Brief.model_fields) | {"kind", "provider", "schema_json", "context"}


def _line_of(node: Any, keys: list[str]) -> str:
    line = _text_start(node, keys, value=False)
    return f":{line}" if line else ""


def _text_start(node: Any, keys: list[str], value: bool = True) -> int:
    """1-based file line where the value of node[keys…] starts (block scalars start a line below)."""
    import yaml

    current, key_node = node, None
    for key in keys:
        if not isinstance(current, yaml.MappingNode):
            break
        match = next(((k, v) for k, v in current.value if k.value == key), None)
        if match is None:
            break
        key_node, current = match
    target = current if value else (key_node or current)
    if target is None:
        return 0
    block = isinstance(target, yaml.ScalarNode) and target.style in ("|", ">")
    return target.start_mark.line + 1 + (1 if value and block else 0)


def _convert(variable: Variable, raw: str, path: Path) -> Any:
    try:
        value: Any = {"str": str, "int": int, "float": float,
                      "bool": lambda s: {"true": True, "false": False, "1": True, "0": False}[s.lower()]}[
            variable.type](raw)
    except (ValueError, KeyError):
        raise TemplateError(f"--var {variable.name}={raw!r}: not a {variable.type}",
                            hint=f"{path} declares {variable.name} as {variable.type}") from None
    if variable.choices is not None and value not in variable.choices:
        raise TemplateError(f"--var {variable.name}={raw!r}: not one of {variable.choices}",
                            hint=variable.description or f"see {path}")
    return value
