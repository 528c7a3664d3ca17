-- 009: the organizer's view (/group overview) and the weekly digest.
-- * group_members: which server a member has used the bot in. The bot has no member list (no
--   privileged intents) and a member's own data carries no server; a row is written when a member with
--   data uses the bot in a server (any command, button or form), and goes with the member's other rows
--   on /privacy delete. Filled here from the rows that already carry a server.
-- * group_digest_settings: a guild's weekly digest (off by default), its weekday (0 = Monday) and the
--   UTC instant of its next post; pause_reason is set when the bot paused it itself (channel gone).
-- * group_digests: one row per guild and weekly occurrence (its local date): also an outbox row (status,
--   tries, the last error), so a digest is posted once per week, across restarts.
-- * two covering indexes for the overview: a guild's recent answers (who answered here, the daily
--   question's participation), and recent answers by time (accuracy by domain), read from the index.

CREATE TABLE group_members (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    first_seen_at  TEXT NOT NULL,
    UNIQUE (guild_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);
INSERT OR IGNORE INTO group_members (guild_id, user_id, first_seen_at)
    SELECT guild_id, user_id, min(answered_at) FROM quiz_answers WHERE guild_id IS NOT NULL
    GROUP BY guild_id, user_id;
INSERT OR IGNORE INTO group_members (guild_id, user_id, first_seen_at)
    SELECT guild_id, user_id, min(reported_at) FROM question_reports WHERE guild_id IS NOT NULL
    GROUP BY guild_id, user_id;
INSERT OR IGNORE INTO group_members (guild_id, user_id, first_seen_at)
    SELECT guild_id, user_id, min(due_at) FROM reminders WHERE guild_id IS NOT NULL
    GROUP BY guild_id, user_id;

CREATE TABLE group_digest_settings (
    guild_id        INTEGER PRIMARY KEY,
    enabled         INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    weekday         INTEGER NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),
    next_digest_at  TEXT,
    pause_reason    TEXT,
    updated_at      TEXT NOT NULL
);

CREATE TABLE group_digests (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    digest_date  TEXT NOT NULL,          -- the guild's local date of the weekly occurrence
    due_at       TEXT NOT NULL,          -- UTC instant it was due
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    message_id   INTEGER,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (guild_id, digest_date)
);
CREATE INDEX group_digests_by_status ON group_digests (status);

CREATE INDEX quiz_answers_by_guild ON quiz_answers (guild_id, answered_at, user_id, correct, post_id);
CREATE INDEX quiz_answers_by_time ON quiz_answers (answered_at, user_id, domain, correct);
