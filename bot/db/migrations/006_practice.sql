-- 006: practice sessions (drills for each error bucket, timed blocks) and their answers.
-- * One active session per member (a partial unique index); a session survives a restart: its items,
--   position and the instant the current item was shown are rows, and its buttons carry its id.
-- * practice_answers: (session, position) is unique, so a double click counts once.
-- * misses are rebuilt without CHECK (source IN ...): practice misses have source 'practice', and the
--   sources live in code from now on.

CREATE TABLE practice_sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    mode         TEXT NOT NULL,           -- drill | timed
    bucket       TEXT,                    -- the drill's error bucket
    items        TEXT NOT NULL,           -- JSON list of item references ("q:pa-air-001", "c:scope-bvm", "l:lad-cpr-001")
    position     INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'active',   -- active | finished | abandoned
    target       REAL,                    -- seconds per item for a timed block
    started_at   TEXT NOT NULL,
    shown_at     TEXT,                    -- when the current item was shown (UTC)
    ended_at     TEXT
);
CREATE UNIQUE INDEX practice_one_active ON practice_sessions (user_id) WHERE status = 'active';

CREATE TABLE practice_answers (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES practice_sessions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    item         TEXT NOT NULL,
    domain       TEXT,
    bucket       TEXT NOT NULL,
    correct      INTEGER NOT NULL,
    in_place     INTEGER,                 -- ladders: steps in their right place
    seconds      REAL,
    answered_at  TEXT NOT NULL,
    UNIQUE (session_id, position)
);
CREATE INDEX practice_answers_by_member ON practice_answers (user_id, answered_at);

CREATE TABLE misses_new (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    bucket       TEXT NOT NULL CHECK (bucket IN ('knowledge', 'sequence', 'scope', 'reading', 'pacing')),
    note         TEXT,
    source       TEXT NOT NULL DEFAULT 'manual',
    question_id  TEXT,
    logged_on    TEXT NOT NULL,
    logged_at    TEXT NOT NULL
);
INSERT INTO misses_new SELECT id, user_id, bucket, note, source, question_id, logged_on, logged_at FROM misses;
DROP TABLE misses;
ALTER TABLE misses_new RENAME TO misses;
CREATE INDEX misses_by_member ON misses (user_id, logged_on);
