"""Pure functions from domain objects to Discord embeds, files and text (testable without Discord)."""
