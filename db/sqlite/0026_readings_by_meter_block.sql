-- readings' unique key (meter_id, at_ms), R9, indexed as (meter_block, at_ms, meter_id), meter_block = meter_id / 64: the
-- readings of a block of 64 meters, in time order. A batch of one reading per meter (a poll sweep) then inserts at the end of each block, about
-- 160 index pages for 10,000 meters, where an index led by meter_id took one page per meter: 10,000 pages written to the
-- WAL and synced at every commit, most of a batch's cost once history outgrew the page cache (at 3,000,000 readings of
-- history, 8.4 of 16.6 s). A query finds a meter's readings by this index only when it names the block too:
-- `meter_block = @meterId / 64 AND meter_id = @meterId`; it then reads the block's entries in the time range it asks for
-- (64 meters' worth, inside the index) instead of the meter's alone. The block is a column, not an indexed expression:
-- SQLite rewrites meter_id / 64 into @meterId / 64 once meter_id = @meterId is also asked, and the index no longer matches.
-- VIRTUAL: computed when read, nothing stored in the row.
ALTER TABLE readings ADD COLUMN meter_block INTEGER GENERATED ALWAYS AS (meter_id / 64) VIRTUAL;
DROP INDEX ux_readings_meter_at;
CREATE UNIQUE INDEX ux_readings_block_at_meter ON readings(meter_block, at_ms, meter_id);

-- ledger_lines (0025) joins each account meter to its readings: through the new index.
DROP VIEW ledger_lines;
CREATE VIEW ledger_lines AS
SELECT id, transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen FROM postings
UNION ALL
SELECT -r.id, NULL, 0, 'consumption', r.at_ms, am.account_id, r.meter_id,
       CASE WHEN r.amount_fen > 0 THEN a.wallet_ledger_id ELSE rev.id END,
       CASE WHEN r.amount_fen > 0 THEN rev.id ELSE a.wallet_ledger_id END,
       ABS(r.amount_fen)
FROM account_meters am
JOIN readings r ON r.meter_block = am.meter_id / 64 AND r.meter_id = am.meter_id AND r.account_meter_id = am.id
JOIN accounts a ON a.id = am.account_id
JOIN meters m ON m.id = r.meter_id
JOIN ledger_accounts rev ON rev.site_id = m.site_id AND rev.account_id IS NULL
     AND rev.kind = CASE m.utility WHEN 'electricity' THEN 'revenue_electricity' WHEN 'water' THEN 'revenue_water' ELSE 'revenue_heat' END
WHERE r.amount_fen <> 0 AND r.status IN ('billed', 'superseded')
  AND (r.reason IS NULL OR NOT EXISTS (SELECT 1 FROM postings k WHERE k.transfer_key = 'reestimate:' || r.meter_id || ':' || r.at_ms AND k.leg = 0));
