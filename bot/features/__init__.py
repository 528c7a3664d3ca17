"""Every feature of the bot, one package each: its cog, model, repository and words side by side.

Each feature package has a ``_cog`` module with an async ``setup(bot)``: that module, not the package,
is the discord.py extension, because unloading an extension drops it and its submodules from
``sys.modules`` and the models must survive that. :func:`extensions` finds them all, so a new feature is
loaded (and walked by the meta-test) just by being here.
"""

from __future__ import annotations

import pkgutil


def extensions() -> tuple[str, ...]:
    """The extension (``_cog`` module) of every feature package, in a stable order."""
    return tuple(
        f"{__name__}.{module.name}._cog"
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
        if module.ispkg
    )
