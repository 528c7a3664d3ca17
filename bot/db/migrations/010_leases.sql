-- 010: leases on the outbox tables, for several bot processes on one database (SHARD_IDS).
-- * owner: the process that claimed the row (host:pid:tag); lease_until: until when its claim holds.
--   A claimed row is resolved by another process only after lease_until (bot/core/leases.py).
-- * Rows claimed before this migration have no lease and are resolved at once, as before.
-- * members.dm_channel_id: the member's DM channel with the bot, learned from the first DM, so a later
--   reminder is one request to Discord instead of two (Discord's global limit is shared by every process).
ALTER TABLE reminders ADD COLUMN owner TEXT;
ALTER TABLE reminders ADD COLUMN lease_until TEXT;
ALTER TABLE quiz_posts ADD COLUMN owner TEXT;
ALTER TABLE quiz_posts ADD COLUMN lease_until TEXT;
ALTER TABLE group_digests ADD COLUMN owner TEXT;
ALTER TABLE group_digests ADD COLUMN lease_until TEXT;
ALTER TABLE members ADD COLUMN dm_channel_id INTEGER;
