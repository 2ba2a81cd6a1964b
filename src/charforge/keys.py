"""API keys: where each comes from, and the keys.yaml file `charforge keys set` writes.

Precedence, first hit wins: the environment (e.g. ANTHROPIC_API_KEY) > `.env` in the working
directory > `keys.yaml` in the config dir (created 0600). Every key read is registered with
`redact`, so it can never show up in a log line or an error message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from charforge import config, redact
from charforge.errors import ConfigError, UsageError


@dataclass(frozen=True)
class Key:
    value: str
    source: str  # "environment", ".env" or the keys.yaml path


def keys_file() -> Path:
    return config.config_dir() / "keys.yaml"


def stored() -> dict[str, str]:
    path = keys_file()
    if not path.exists():
        return {}
    from charforge.files import read_yaml

    try:  # the parser's limits hold here too; its message is not passed on, as it could quote a key
        data = read_yaml(path, error=ConfigError, hint="") or {}
    except ConfigError:
        raise ConfigError(f"cannot read {path}", hint="fix it or delete it and run 'charforge keys set'") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ConfigError(f"{path}: expected 'provider: key' lines", hint="delete it and run 'charforge keys set'")
    return data


def resolve(provider: str) -> Key | None:
    """The key for `provider`, or None when there is none anywhere."""
    from charforge.registry import registry

    env_name = registry().key_variable(provider)
    found = None
    if os.environ.get(env_name):
        found = Key(os.environ[env_name], "environment")
    elif (dotenv := config.dotenv_file()).is_file():
        from dotenv import dotenv_values

        if value := dotenv_values(dotenv).get(env_name):
            found = Key(value, ".env")
    if found is None and (value := stored().get(provider)):
        found = Key(value, str(keys_file()))
    if found:
        redact.register(found.value)
    return found


def store(provider: str, value: str) -> Path:
    """Save a key in keys.yaml, readable by the owner only, replacing the file atomically."""
    from charforge.registry import registry

    registry().key_variable(provider)  # UsageError for a provider that takes no key
    value = value.strip()
    if not value or any(c.isspace() for c in value):
        raise UsageError("a key is one word with no spaces", hint="paste the key exactly as the provider gave it")
    redact.register(value)
    return _write({**stored(), provider: value})


def remove(provider: str) -> Path:
    """Delete a stored key from keys.yaml, keeping the file readable by the owner only.

    Raises:
        UsageError: the provider takes no key, or keys.yaml holds none for it.
    """
    from charforge.registry import registry

    env_name = registry().key_variable(provider)
    data = stored()
    if provider not in data:
        elsewhere = f"; its key comes from {env_name} in the environment or .env" if resolve(provider) else ""
        raise UsageError(f"no stored {provider} key in {keys_file()}{elsewhere}", hint="see 'charforge keys list'")
    del data[provider]
    return _write(data)


def _write(data: dict[str, str]) -> Path:
    import yaml

    path = keys_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=True)
    os.chmod(tmp, 0o600)  # in case the file existed with wider permissions
    os.replace(tmp, path)
    return path


def listing() -> list[tuple[str, str | None]]:
    """(provider, where its key comes from) for every provider; None when it has no key."""
    return [(name, key.source if (key := resolve(name)) else None) for name in _variables()]


def _variables() -> dict[str, str]:
    """Provider name -> the environment variable its key comes from, for every registered provider with a key."""
    from charforge.registry import registry

    return registry().key_variables()
