"""The service layer: what every command calls. It plans, asks a provider, settles, records; it never prints.

Modules, each importing only downward (see docs/architecture.md): `planning` (seeded facts and legal
options), `calls` (one provider call, logged), `settle` (answers made legal), `canon` (setting files),
`characters` (CharacterService), `portraits` (PortraitService), `health` (`charforge check`).
"""

from charforge.service import hooks
from charforge.service.characters import CharacterService, replay_source

hooks.install_mode_memory()  # before any entry point builds a provider: remembered structured-output modes

__all__ = ["CharacterService", "replay_source"]
