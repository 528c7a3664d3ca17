-- 003: the quiz: daily posts per guild, every answer, and question reports.

ALTER TABLE guild_settings ADD COLUMN next_post_at TEXT;   -- UTC instant of the next daily post

CREATE TABLE quiz_posts (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    message_id   INTEGER,
    question_id  TEXT NOT NULL,
    cycle        INTEGER NOT NULL,      -- no question repeats in a guild within one cycle
    post_date    TEXT NOT NULL,         -- the guild's local date
    posted_at    TEXT NOT NULL,
    UNIQUE (guild_id, post_date)
);
CREATE INDEX quiz_posts_by_guild ON quiz_posts (guild_id, cycle);

CREATE TABLE quiz_answers (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    guild_id     INTEGER,
    question_id  TEXT NOT NULL,
    domain       TEXT NOT NULL,
    post_id      INTEGER REFERENCES quiz_posts (id) ON DELETE SET NULL,
    issued_at    INTEGER,               -- /quiz now: when the question was shown (epoch seconds)
    choice       INTEGER NOT NULL CHECK (choice BETWEEN 0 AND 3),
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    seconds      REAL,
    answered_on  TEXT NOT NULL,         -- the member's local date
    answered_at  TEXT NOT NULL
);
-- A member's first answer to a daily post is the one that counts; a double click cannot count twice.
CREATE UNIQUE INDEX quiz_answers_once_per_post ON quiz_answers (post_id, user_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX quiz_answers_once_per_issue ON quiz_answers (user_id, question_id, issued_at)
    WHERE issued_at IS NOT NULL;
CREATE INDEX quiz_answers_by_member ON quiz_answers (user_id, answered_on);

CREATE TABLE question_reports (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    guild_id     INTEGER,
    question_id  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    reported_at  TEXT NOT NULL
);
CREATE INDEX question_reports_by_guild ON question_reports (guild_id, reported_at);
