-- Building checks (R32, R33) and the compensation quota (R35). Instants are UTC Unix milliseconds.

-- R32: a circuit is a master meter and its sub-meters of one utility; an alarm when |imbalance %| exceeds the threshold.
CREATE TABLE circuits (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id         BIGINT NOT NULL REFERENCES sites(id),
    name            NVARCHAR(100)   NOT NULL,
    utility         NVARCHAR(20)    NOT NULL,    -- electricity | water (the master meter's)
    master_meter_id BIGINT NOT NULL REFERENCES meters(id),
    threshold_pct   NVARCHAR(32)    NOT NULL,    -- exact decimal, invariant culture (default 5)
    created_at_ms   BIGINT NOT NULL,
    deleted_at_ms   BIGINT NULL                  -- a deleted circuit keeps its alarms' history
);
CREATE INDEX ix_circuits_site ON circuits(site_id, id);
CREATE TABLE circuit_meters (
    circuit_id      BIGINT NOT NULL REFERENCES circuits(id),
    meter_id        BIGINT NOT NULL REFERENCES meters(id),
    PRIMARY KEY (circuit_id, meter_id)
);

-- R33: a water meter's leak volume over 24 hours; NULL is the default 0.480 m³.
ALTER TABLE meters ADD leak_volume_milli BIGINT NULL;

-- Leak and circuit alarms sit with the other device alarms (kind leak | circuit); a circuit alarm names its circuit.
ALTER TABLE device_alarms ADD circuit_id BIGINT NULL REFERENCES circuits(id);

-- R35: one run per site, utility and period; its result as posted, so the same request answers it again.
CREATE TABLE compensations (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id         BIGINT NOT NULL REFERENCES sites(id),
    utility         NVARCHAR(20)    NOT NULL,
    from_ms         BIGINT NOT NULL,
    to_ms           BIGINT NOT NULL,
    bill_fen        BIGINT NOT NULL,
    charged_fen     BIGINT NOT NULL,
    result_json     NVARCHAR(MAX)   NOT NULL,
    user_id         BIGINT NULL,
    created_at_ms   BIGINT NOT NULL,
    CONSTRAINT ux_compensations_period UNIQUE (site_id, utility, from_ms, to_ms)
);
