"""The preview's own words (the bot's are in each feature's text module)."""

WELCOME = """**Welcome to the EMR Study Bot preview** (offline: nothing here reaches Discord).
You're the organizer; switch to **Sam** (mid-pathway, some misses logged) or **Riley** (new) with "Viewing as".
Try: `/status` · `/gate gate:course mark:done date:2025-06-01` · `/retake score:905` · `/errorlog show` · `/quiz now` · `/quiz stats` · `/privacy action:export`
The daily question posts here at 07:00 New York time: `/sandbox advance days:1` moves the clock so you can watch it (and reminders) happen."""
