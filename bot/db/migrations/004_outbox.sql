-- 004: every scheduled delivery goes through the shared outbox.
-- * quiz_posts become outbox rows: a status, a try count and the last error, so a failing post backs
--   off, gives up after the policy's tries, and a crash between send and mark is resolved by marker.
-- * guild_settings.pause_reason: why the bot paused a guild's daily post itself (channel gone, no
--   permission); shown to organizers on their next /quiz command, cleared by /quiz setup.
-- * reminders are rebuilt without CHECK (kind IN ...): the kinds live in code (ReminderKind), so a new
--   kind needs no table rebuild again.

ALTER TABLE quiz_posts ADD COLUMN status TEXT NOT NULL DEFAULT 'sent'
    CHECK (status IN ('pending', 'claimed', 'sent', 'failed'));
ALTER TABLE quiz_posts ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quiz_posts ADD COLUMN last_error TEXT;
UPDATE quiz_posts SET status = 'pending' WHERE message_id IS NULL;

ALTER TABLE guild_settings ADD COLUMN pause_reason TEXT;

CREATE TABLE reminders_new (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    about       TEXT,
    due_at      TEXT NOT NULL,
    zone        TEXT NOT NULL,
    wake_at     TEXT NOT NULL,
    guild_id    INTEGER,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'sent', 'fallback_channel', 'fallback_status', 'undeliverable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  TEXT,
    sent_at     TEXT,
    message_id  INTEGER,
    last_error  TEXT,
    shown_at    TEXT,
    UNIQUE (user_id, kind, local_date)
);
INSERT INTO reminders_new SELECT id, user_id, kind, local_date, about, due_at, zone, wake_at, guild_id, status,
    attempts, claimed_at, sent_at, message_id, last_error, shown_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_wake ON reminders (status, wake_at);
