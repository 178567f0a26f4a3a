-- Data quality (R30 estimates, R31 manual readings), per-meter overload limits and the meter service journal.
-- Instants are UTC Unix milliseconds; days are yyyy-MM-dd in the site's zone.

-- R31: where a reading came from, and for a person's reading who entered it and when.
ALTER TABLE readings ADD COLUMN source TEXT NOT NULL DEFAULT 'meter';   -- meter | manual | import | estimate (R30)
ALTER TABLE readings ADD COLUMN entered_by INTEGER NULL;                -- users.id, manual and imported readings
ALTER TABLE readings ADD COLUMN entered_at_ms INTEGER NULL;
-- Instantaneous active power where the meter reports it, in W (the API shows kW): the overload alarm.
ALTER TABLE readings ADD COLUMN power_w INTEGER NULL;

-- R30: while estimates stand in a meter's series, the last real reading they were estimated from and the exact
-- cumulative cost (R4) at it, so the next real reading is priced from there and the estimates' debits corrected.
ALTER TABLE account_meters ADD COLUMN real_at_ms INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_total_milli INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_sharp_milli INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_peak_milli INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_flat_milli INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_valley_milli INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN real_exact_cost TEXT NULL;

-- Power above which the meter is overloaded, in W: pushed with pushSettings where the profile takes it, and compared
-- with the power readings carry (device_alarms kind overload).
ALTER TABLE meters ADD COLUMN overload_limit_w INTEGER NULL;

-- The meter's service journal: installation, verification/calibration (with the next due date), repair, replacement.
CREATE TABLE meter_service_entries (
    id              INTEGER PRIMARY KEY,
    meter_id        INTEGER NOT NULL REFERENCES meters(id),
    kind            TEXT    NOT NULL,            -- installation | calibration | repair | replacement | other
    day             TEXT    NOT NULL,            -- when the work was done, in the site's zone
    note            TEXT    NULL,
    next_due_day    TEXT    NULL,                -- the next calibration due, in the site's zone
    user_id         INTEGER NULL,                -- who recorded it
    created_at_ms   INTEGER NOT NULL
);
CREATE INDEX ix_meter_service_entries_meter ON meter_service_entries(meter_id, day, id);

-- R31: an import of readings from a file, with its per-row outcome report for the operator to download.
CREATE TABLE reading_imports (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,            -- who imported it: the report is theirs (and readable by unscoped staff)
    file_name       TEXT    NOT NULL,
    row_count       INTEGER NOT NULL,
    report_json     TEXT    NOT NULL,            -- [{row, serial, at, registers, status, amount, reason}]
    created_at_ms   INTEGER NOT NULL
);
