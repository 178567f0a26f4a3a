-- A billed reading's consumption posting stores no transfer key: its key is its reading's (meter_id, at_ms), which
-- readings hold unique (R9), and the ledger check holds each such posting to its billed reading (R22). The text key
-- and its index were a third of the bytes every billed reading stored, and its index took inserts all over the disk.
-- Existing consumption postings lose their key (reading:<meter_id>:<at_ms>, the same by construction); every other
-- posting keeps its own, unique as before. The UNIQUE constraint of 0001 has a generated name, looked up here; SQL
-- Server counts NULLs as equal in a unique constraint, so the keys are held unique by a filtered index instead.
DECLARE @unique sysname = (SELECT name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID('postings') AND type = 'UQ');
DECLARE @drop nvarchar(400) = N'ALTER TABLE postings DROP CONSTRAINT ' + QUOTENAME(@unique);
EXEC sp_executesql @drop;
ALTER TABLE postings ALTER COLUMN transfer_key NVARCHAR(200) NULL;
EXEC sp_executesql N'UPDATE postings SET transfer_key = NULL
WHERE kind = ''consumption'' AND leg = 0 AND meter_id IS NOT NULL AND transfer_key = CONCAT(''reading:'', meter_id, '':'', at_ms)';
CREATE UNIQUE INDEX ux_postings_transfer ON postings(transfer_key, leg) WHERE transfer_key IS NOT NULL;
ALTER TABLE postings ADD CONSTRAINT ck_postings_key CHECK (transfer_key IS NOT NULL OR (kind = 'consumption' AND meter_id IS NOT NULL AND leg = 0));
