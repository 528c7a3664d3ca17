"""Try the bot without a token: the real bot inside a simulated Discord on 127.0.0.1 (simcord).

``python -m bot preview`` serves a Discord-style page; ``python -m bot screenshots DIR`` saves PNGs of
scripted interactions for the README. Every simcord call lives in :mod:`bot.sandbox.simcord_adapter`,
so a future simcord major version costs one file. simcord is an optional extra:
``pip install -e '.[preview]'``.
"""
