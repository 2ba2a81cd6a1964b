"""What is installed: the registry's providers and formats as data, for `charforge providers`."""

from __future__ import annotations

from pydantic import BaseModel

from charforge.registry import ImageProviderEntry, TextProviderEntry, registry


class ProviderInfo(BaseModel):
    name: str
    origin: str
    description: str
    key_env: str | None = None
    default_model: str | None = None
    capabilities: dict[str, object] = {}


class FormatInfo(BaseModel):
    name: str
    origin: str
    description: str
    extension: str
    kinds: list[str]


class Row(BaseModel):
    what: str
    name: str
    origin: str
    key_env: str | None
    detail: str
    description: str


class Listing(BaseModel):
    text: list[ProviderInfo]
    images: list[ProviderInfo]
    formats: list[FormatInfo]
    plugin_errors: list[str]

    def rows(self) -> list[Row]:
        """One table row per entry, providers first."""
        return [*(Row(what=what, name=p.name, origin=p.origin, key_env=p.key_env, detail=p.default_model or "",
                      description=p.description) for what, group in (("text", self.text), ("image", self.images))
                  for p in group),
                *(Row(what="format", name=f.name, origin=f.origin, key_env=None,
                      detail=f.extension + (f" ({', '.join(f.kinds)} only)" if f.kinds else ""),
                      description=f.description) for f in self.formats)]


def listing() -> Listing:
    """Everything registered, the plugins loaded."""
    reg = registry()
    return Listing(text=[_provider(e) for e in reg.text_providers()],
                   images=[_provider(e) for e in reg.image_providers()],
                   formats=[FormatInfo(name=e.name, origin=e.origin, description=e.description, extension=e.extension,
                                       kinds=list(e.kinds)) for e in reg.all_exporters()],
                   plugin_errors=list(reg.plugin_errors))


def _provider(entry: TextProviderEntry | ImageProviderEntry) -> ProviderInfo:
    return ProviderInfo(name=entry.name, origin=entry.origin, description=entry.description, key_env=entry.key_env,
                        default_model=entry.default_model, capabilities=entry.capabilities.as_dict())


def classes() -> list[str]:
    """Every SRD class index, sorted (for shell completion and listings)."""
    from charforge.rules.pack import load

    return sorted(load().classes)


def ancestries() -> list[str]:
    """Every SRD race and subrace index, sorted."""
    from charforge.rules.pack import load

    return sorted(load().races)


def alignments() -> list[str]:
    """The nine alignment indexes, lawful-good first."""
    from charforge.rules.identity import ALIGNMENTS

    return list(ALIGNMENTS)
