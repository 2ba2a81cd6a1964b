"""charforge: tabletop RPG characters whose numbers come from SRD 5.1 rules and whose prose comes
from a language model, or from the offline generator with no key and no network."""

__version__ = "0.1.0"
