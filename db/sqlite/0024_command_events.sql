-- Command state changes as the dashboard shows them, one row per change, written in the transaction that makes the
-- change. Every node reads the rows and sends them to its own connected clients, so a change reaches each client once
-- whichever node committed it, even one killed right after its commit. Rows are pruned after a few minutes.
CREATE TABLE command_events (
    id             INTEGER PRIMARY KEY,
    site_id        INTEGER NOT NULL,
    meter_id       INTEGER NOT NULL,
    command_id     INTEGER NOT NULL,
    kind           TEXT    NOT NULL,            -- the command's kind: trip, close, pushTariff, ...
    state          TEXT    NOT NULL,            -- requested | sent | confirmed | failed | expired
    error          TEXT    NULL,                -- the command's error, else its detail
    batch_id       INTEGER NULL,
    at_ms          INTEGER NOT NULL
);
CREATE INDEX ix_command_events_at ON command_events(at_ms);
