"""The /privacy export's format (version 1), documented in the README ("The export file").

One rule per kind of value, whatever the table, so a reader (or a program, including JavaScript) can
rely on it:

- ids (``id`` and every ``*_id`` column) are strings: Discord ids do not fit in a JavaScript number;
- instants (every ``*_at`` column) are ISO 8601 with their UTC offset, to the second;
- yes/no columns are ``true`` / ``false``;
- calendar dates (``*_on``, ``local_date``, ``post_date``, ``about``) stay ``YYYY-MM-DD``;
- anything else (scores, counts, seconds, names, notes) is as stored; a missing value is ``null``.

The database keeps its own forms (0/1, epoch seconds in ``quiz_answers.issued_at``, integer ids); this
module only translates. Pure: no discord, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

FORMAT = "emr-study-bot member export"
FORMAT_VERSION = 1

#: Columns stored as 0/1 that mean no/yes. A test checks this against every CHECK (x IN (0, 1)).
BOOLEAN_COLUMNS = frozenset({"share_status", "reminders_enabled", "correct", "paused"})

Row = Mapping[str, Any]


def export_document(
    user_id: int, exported_at: dt.datetime, tables: Mapping[str, Sequence[Row]]
) -> dict[str, Any]:
    """The whole export: what it is, whose, when, and every table's rows in the format above."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "user_id": str(user_id),
        "exported_at": instant(exported_at),
        "tables": {name: [export_row(row) for row in tables[name]] for name in sorted(tables)},
    }


def export_row(row: Row) -> dict[str, Any]:
    return {column: export_value(column, value) for column, value in row.items()}


def export_value(column: str, value: Any) -> Any:
    """One stored value in the export's form (see the module's rules)."""
    if value is None:
        return None
    if column in BOOLEAN_COLUMNS:
        return bool(value)
    if column == "id" or column.endswith("_id"):
        return str(value)
    if column.endswith("_at"):
        return instant(value)
    return value


def instant(value: dt.datetime | str | float) -> str:
    """An instant as ISO 8601 with its offset, to the second. Stored forms: aware ISO text (UTC), or epoch
    seconds. Naive text would be a storage bug; it is read as UTC, which is how the bot stores."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, int | float):
        moment = dt.datetime.fromtimestamp(value, dt.UTC)
    else:
        moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")
