-- 008: the adaptive check-in (/practice checkin) and item calibration.
-- * A check-in is a practice session (mode 'checkin') whose item list grows one item at a time; its
--   answers are practice_answers rows like any other session's.
-- * checkin_results: one row per finished check-in, so the next one can say what changed and avoid the
--   items just seen. ability, se, low and high are logits on the bank's own Rasch scale (never shown as
--   numbers to members: never a scaled score, never a percentage).
-- * item_calibration: each item's fitted Rasch difficulty from every member's answers across servers, and
--   calibration_runs: when each fit ran and how many answers it saw. Neither holds member data.

CREATE TABLE checkin_results (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL UNIQUE REFERENCES practice_sessions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    items        INTEGER NOT NULL,
    ability      REAL NOT NULL,
    se           REAL NOT NULL,
    low          REAL NOT NULL,
    high         REAL NOT NULL,
    standard     REAL NOT NULL,       -- the readiness standard in force then
    verdict      TEXT NOT NULL,       -- likely_ready | not_yet | too_close
    finished_at  TEXT NOT NULL
);
CREATE INDEX checkin_results_by_member ON checkin_results (user_id, finished_at);

CREATE TABLE item_calibration (
    item_id      TEXT PRIMARY KEY,    -- a bank question id
    difficulty   REAL NOT NULL,       -- logits
    responses    INTEGER NOT NULL,    -- members whose answers the fit used
    calibrated_at TEXT NOT NULL
);

CREATE TABLE calibration_runs (
    id           INTEGER PRIMARY KEY,
    answers_seen INTEGER NOT NULL,    -- quiz + practice answers in the database when the run started
    members      INTEGER NOT NULL,
    items        INTEGER NOT NULL,
    seconds      REAL NOT NULL,
    finished_at  TEXT NOT NULL
);
