-- Building checks (R32, R33) and the compensation quota (R35). Instants are UTC Unix milliseconds.

-- R32: a circuit is a master meter and its sub-meters of one utility; an alarm when |imbalance %| exceeds the threshold.
CREATE TABLE circuits (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    name            TEXT    NOT NULL,
    utility         TEXT    NOT NULL,            -- electricity | water (the master meter's)
    master_meter_id INTEGER NOT NULL REFERENCES meters(id),
    threshold_pct   TEXT    NOT NULL,            -- exact decimal, invariant culture (default 5)
    created_at_ms   INTEGER NOT NULL,
    deleted_at_ms   INTEGER NULL                 -- a deleted circuit keeps its alarms' history
);
CREATE INDEX ix_circuits_site ON circuits(site_id, id);
CREATE TABLE circuit_meters (
    circuit_id      INTEGER NOT NULL REFERENCES circuits(id),
    meter_id        INTEGER NOT NULL REFERENCES meters(id),
    PRIMARY KEY (circuit_id, meter_id)
);

-- R33: a water meter's leak volume over 24 hours; NULL is the default 0.480 m³.
ALTER TABLE meters ADD COLUMN leak_volume_milli INTEGER NULL;

-- Leak and circuit alarms sit with the other device alarms (kind leak | circuit); a circuit alarm names its circuit.
ALTER TABLE device_alarms ADD COLUMN circuit_id INTEGER NULL REFERENCES circuits(id);

-- R35: one run per site, utility and period; its result as posted, so the same request answers it again.
CREATE TABLE compensations (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    utility         TEXT    NOT NULL,
    from_ms         INTEGER NOT NULL,
    to_ms           INTEGER NOT NULL,
    bill_fen        INTEGER NOT NULL,
    charged_fen     INTEGER NOT NULL,
    result_json     TEXT    NOT NULL,
    user_id         INTEGER NULL,
    created_at_ms   INTEGER NOT NULL,
    UNIQUE (site_id, utility, from_ms, to_ms)
);
