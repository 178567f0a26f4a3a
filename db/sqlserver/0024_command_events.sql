-- Command state changes as the dashboard shows them, one row per change, written in the transaction that makes the
-- change. Every node reads the rows and sends them to its own connected clients, so a change reaches each client once
-- whichever node committed it, even one killed right after its commit. Rows are pruned after a few minutes.
CREATE TABLE command_events (
    id             BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id        BIGINT         NOT NULL,
    meter_id       BIGINT         NOT NULL,
    command_id     BIGINT         NOT NULL,
    kind           NVARCHAR(32)   NOT NULL,
    state          NVARCHAR(16)   NOT NULL,
    error          NVARCHAR(MAX)  NULL,
    batch_id       BIGINT         NULL,
    at_ms          BIGINT         NOT NULL
);
CREATE INDEX ix_command_events_at ON command_events(at_ms);
