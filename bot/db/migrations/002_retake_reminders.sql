-- 002: failed attempts, refresher courses, the error log, guild settings, and reminders.

CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    taken_on     TEXT NOT NULL,
    score        INTEGER NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (user_id, taken_on)
);

CREATE TABLE refreshers (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    completed_on  TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    UNIQUE (user_id, completed_on)
);

CREATE TABLE misses (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    bucket       TEXT NOT NULL CHECK (bucket IN ('knowledge', 'sequence', 'scope', 'reading', 'pacing')),
    note         TEXT,
    source       TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'quiz')),
    question_id  TEXT,
    logged_on    TEXT NOT NULL,   -- the member's local date
    logged_at    TEXT NOT NULL    -- UTC instant
);
CREATE INDEX misses_by_member ON misses (user_id, logged_on);

-- One row per guild: where and when the daily quiz goes (the quiz feature), and the channel that
-- reminder fallbacks use when a member's DMs are closed.
CREATE TABLE guild_settings (
    guild_id         INTEGER PRIMARY KEY,
    quiz_channel_id  INTEGER,
    quiz_time        TEXT,
    quiz_timezone    TEXT,
    paused           INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    updated_at       TEXT NOT NULL
);

-- Reminders: these rows are the truth; the scheduler only wakes the engine at the earliest wake_at.
-- (user_id, kind, local_date) is unique, so the same reminder can never be created, or sent, twice.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('retest', 'results', 'course_window')),
    local_date  TEXT NOT NULL,          -- the member's local date it is about
    about       TEXT,                   -- the date it refers to (e.g. the course window's end)
    due_at      TEXT NOT NULL,          -- UTC instant: 09:00 local on local_date
    zone        TEXT NOT NULL,
    wake_at     TEXT NOT NULL,          -- UTC instant of the next try (due_at, or later after a retry)
    guild_id    INTEGER,                -- where the member last asked for it: the fallback's guild
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'claimed', 'sent', 'fallback_channel', 'fallback_status', 'undeliverable')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    claimed_at  TEXT,
    sent_at     TEXT,
    message_id  INTEGER,
    last_error  TEXT,
    shown_at    TEXT,                   -- when a missed reminder was shown on /status
    UNIQUE (user_id, kind, local_date)
);
CREATE INDEX reminders_wake ON reminders (status, wake_at);
