-- The way back from paying to the phone page, and statements (R36) read by time.

-- The page of ours a tenant goes back to after paying (the phone page with the order's number), checked to be this
-- platform's own origin when the order is made, so no order can send a payer elsewhere. NULL: no way back was asked.
ALTER TABLE payment_orders ADD return_url NVARCHAR(2048) NULL;

-- R36: a statement reads an account's postings from its period's start on; by time, not by id, since a reading posts at
-- its own timestamp. Without this the whole history of the account would be read for every statement.
CREATE INDEX ix_postings_account_at ON postings(account_id, at_ms);
