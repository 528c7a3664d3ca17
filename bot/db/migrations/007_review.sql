-- 007: spaced review (FSRS).
-- * review_cards: one FSRS card per member and item answered anywhere; the card is py-fsrs's
--   Card.to_dict() as JSON with card_schema beside it (1 = py-fsrs 6.x), due_at copied out for counting.
-- * members: the member's own target date for review (review_goal_on) and the local hour of the opt-in
--   daily nudge DM (review_nudge_hour; NULL = no nudge).
-- * reminders gain the 'skipped' status: a nudge with nothing due (or turned off since) sends nothing.

ALTER TABLE members ADD COLUMN review_goal_on TEXT;
ALTER TABLE members ADD COLUMN review_nudge_hour INTEGER CHECK (review_nudge_hour BETWEEN 0 AND 23);

CREATE TABLE review_cards (
    user_id         INTEGER NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    item            TEXT NOT NULL,        -- q:<question id>, c:<scope card id>, l:<ladder id>
    card            TEXT NOT NULL,        -- fsrs Card.to_dict() as JSON
    card_schema     INTEGER NOT NULL,
    due_at          TEXT NOT NULL,        -- UTC instant, the card's due
    reviews         INTEGER NOT NULL DEFAULT 0,
    lapses          INTEGER NOT NULL DEFAULT 0,
    last_review_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, item)
);
CREATE INDEX review_cards_due ON review_cards (user_id, due_at);

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
                CHECK (status IN ('pending', 'claimed', 'sent', 'fallback_channel', 'fallback_status',
                                  'undeliverable', 'skipped')),
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
