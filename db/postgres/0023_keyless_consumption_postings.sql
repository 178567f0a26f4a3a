-- A billed reading's consumption posting stores no transfer key: its key is its reading's (meter_id, at_ms), which
-- readings hold unique (R9), and the ledger check holds each such posting to its billed reading (R22). The text key
-- and its index were a third of the bytes every billed reading stored, and its index took inserts all over the disk.
-- Existing consumption postings lose their key (reading:<meter_id>:<at_ms>, the same by construction); every other
-- posting keeps its own, unique as before.
ALTER TABLE postings ALTER COLUMN transfer_key DROP NOT NULL;
ALTER TABLE postings DROP CONSTRAINT postings_transfer_key_leg_key;
UPDATE postings SET transfer_key = NULL
WHERE kind = 'consumption' AND leg = 0 AND meter_id IS NOT NULL AND transfer_key = 'reading:' || meter_id || ':' || at_ms;
CREATE UNIQUE INDEX ux_postings_transfer ON postings(transfer_key, leg) WHERE transfer_key IS NOT NULL;
ALTER TABLE postings ADD CONSTRAINT ck_postings_key CHECK (transfer_key IS NOT NULL OR (kind = 'consumption' AND meter_id IS NOT NULL AND leg = 0));
