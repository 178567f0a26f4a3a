-- A billed reading is its own consumption line: the reading row holds the signed debit (amount_fen), its key
-- (reading:<meter_id>:<at_ms>, unique in readings, R9) and its account meter, so no posting row repeats it. The view
-- ledger_lines is every line of the ledger (R21, R22): the postings, and each billed reading whose debit has no posting
-- of its own, mapped to the posting it stands for (wallet → the meter's site revenue for its utility, or back when the
-- amount is negative). A reading line's id is −readings.id, so line ids are unique across both.
-- A real reading that supersedes estimates (R30) also carries its amount, but that difference is posted under
-- reestimate:<meter_id>:<at_ms>: such a reading is left out here (only readings with a reason can be one).
-- A filter on account_id reaches readings through account_meters and ux_readings_meter_at.
CREATE VIEW ledger_lines AS
SELECT id, transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen FROM postings
UNION ALL
SELECT -r.id, NULL, 0, 'consumption', r.at_ms, am.account_id, r.meter_id,
       CASE WHEN r.amount_fen > 0 THEN a.wallet_ledger_id ELSE rev.id END,
       CASE WHEN r.amount_fen > 0 THEN rev.id ELSE a.wallet_ledger_id END,
       ABS(r.amount_fen)
FROM account_meters am
JOIN readings r ON r.meter_id = am.meter_id AND r.account_meter_id = am.id
JOIN accounts a ON a.id = am.account_id
JOIN meters m ON m.id = r.meter_id
JOIN ledger_accounts rev ON rev.site_id = m.site_id AND rev.account_id IS NULL
     AND rev.kind = CASE m.utility WHEN 'electricity' THEN 'revenue_electricity' WHEN 'water' THEN 'revenue_water' ELSE 'revenue_heat' END
WHERE r.amount_fen <> 0 AND r.status IN ('billed', 'superseded')
  AND (r.reason IS NULL OR NOT EXISTS (SELECT 1 FROM postings k WHERE k.transfer_key = 'reestimate:' || r.meter_id || ':' || r.at_ms AND k.leg = 0));

-- A keyless consumption posting is its reading's line written twice: it goes, each only where its reading gives exactly that line.
DELETE FROM postings
WHERE transfer_key IS NULL AND kind = 'consumption' AND leg = 0 AND EXISTS (
    SELECT 1 FROM readings r
    JOIN account_meters am ON am.id = r.account_meter_id AND am.meter_id = r.meter_id
    JOIN accounts a ON a.id = am.account_id
    JOIN meters m ON m.id = r.meter_id
    JOIN ledger_accounts rev ON rev.site_id = m.site_id AND rev.account_id IS NULL
         AND rev.kind = CASE m.utility WHEN 'electricity' THEN 'revenue_electricity' WHEN 'water' THEN 'revenue_water' ELSE 'revenue_heat' END
    WHERE r.meter_id = postings.meter_id AND r.at_ms = postings.at_ms AND r.status IN ('billed', 'superseded')
      AND am.account_id = postings.account_id
      AND ((r.amount_fen = postings.amount_fen AND postings.debit_ledger_id = a.wallet_ledger_id AND postings.credit_ledger_id = rev.id)
        OR (r.amount_fen = -postings.amount_fen AND postings.credit_ledger_id = a.wallet_ledger_id AND postings.debit_ledger_id = rev.id)));
