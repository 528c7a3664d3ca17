-- 005: multiple-response ("select all that apply") answers to /quiz now.
-- * quiz_answers.choices: the letters a member chose for a multiple-response question, in order
--   ('ACE'); NULL for a single answer. `correct` is 1 only when they are exactly the keyed set.
-- * quiz_answers.choice (0-3 = A-D) becomes NULL for a multiple-response answer. SQLite cannot drop a
--   NOT NULL constraint in place, so the table is rebuilt; every row and index is kept. The repository
--   writes exactly one of the two columns.

CREATE TABLE quiz_answers_new (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    guild_id     INTEGER,
    question_id  TEXT NOT NULL,
    domain       TEXT NOT NULL,
    post_id      INTEGER REFERENCES quiz_posts (id) ON DELETE SET NULL,
    issued_at    INTEGER,               -- /quiz now: when the question was shown (epoch seconds)
    choice       INTEGER CHECK (choice BETWEEN 0 AND 3),            -- a single answer: A-D as 0-3
    choices      TEXT CHECK (choices <> '' AND choices NOT GLOB '*[^A-E]*'),  -- multiple response: 'ACE'
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    seconds      REAL,
    answered_on  TEXT NOT NULL,         -- the member's local date
    answered_at  TEXT NOT NULL
);
INSERT INTO quiz_answers_new (id, user_id, guild_id, question_id, domain, post_id, issued_at, choice, correct,
    seconds, answered_on, answered_at)
    SELECT id, user_id, guild_id, question_id, domain, post_id, issued_at, choice, correct, seconds, answered_on,
        answered_at FROM quiz_answers;
DROP TABLE quiz_answers;
ALTER TABLE quiz_answers_new RENAME TO quiz_answers;
CREATE UNIQUE INDEX quiz_answers_once_per_post ON quiz_answers (post_id, user_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX quiz_answers_once_per_issue ON quiz_answers (user_id, question_id, issued_at)
    WHERE issued_at IS NOT NULL;
CREATE INDEX quiz_answers_by_member ON quiz_answers (user_id, answered_on);
