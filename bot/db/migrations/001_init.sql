-- 001: members and their certification pathway gates.
-- Every table holding a member's data has a user_id column: /privacy export and delete find them
-- from the schema (bot/store/privacy.py), so a later table cannot be forgotten.

CREATE TABLE members (
    user_id            INTEGER PRIMARY KEY,
    timezone           TEXT,
    share_status       INTEGER NOT NULL DEFAULT 0 CHECK (share_status IN (0, 1)),
    reminders_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (reminders_enabled IN (0, 1)),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

CREATE TABLE gates (
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    gate         TEXT NOT NULL CHECK (gate IN ('course', 'verification', 'exam', 'skills', 'license')),
    mark         TEXT NOT NULL CHECK (mark IN ('done', 'pending', 'not_required', 'issue')),
    happened_on  TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, gate)
);
