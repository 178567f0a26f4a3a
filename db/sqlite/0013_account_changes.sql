-- Who changed an account's thresholds, keep-on, fee rate or a meter's tariff (PUT /api/accounts/{id}), and when.
-- A tariff change acts from the meter's last billed reading; the row keeps the instant, so a later statement can tell
-- which tariff priced which reading. Instants are UTC Unix milliseconds.
CREATE TABLE account_changes (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    user_id         INTEGER NULL,
    changed_at_ms   INTEGER NOT NULL,
    before_json     TEXT    NOT NULL,            -- the changed fields as they were (amounts as strings, tariffs per meter)
    after_json      TEXT    NOT NULL             -- the same fields as they are now
);
CREATE INDEX ix_account_changes_account ON account_changes(account_id, id);
