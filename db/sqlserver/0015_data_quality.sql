-- Data quality (R30 estimates, R31 manual readings), per-meter overload limits and the meter service journal.
-- Instants are UTC Unix milliseconds; days are yyyy-MM-dd in the site's zone.

-- R31: where a reading came from, and for a person's reading who entered it and when.
ALTER TABLE readings ADD source NVARCHAR(16) NOT NULL CONSTRAINT df_readings_source DEFAULT N'meter';  -- meter | manual | import | estimate (R30)
ALTER TABLE readings ADD entered_by BIGINT NULL;                -- users.id, manual and imported readings
ALTER TABLE readings ADD entered_at_ms BIGINT NULL;
-- Instantaneous active power where the meter reports it, in W (the API shows kW): the overload alarm.
ALTER TABLE readings ADD power_w BIGINT NULL;

-- R30: while estimates stand in a meter's series, the last real reading they were estimated from and the exact
-- cumulative cost (R4) at it, so the next real reading is priced from there and the estimates' debits corrected.
ALTER TABLE account_meters ADD real_at_ms BIGINT NULL;
ALTER TABLE account_meters ADD real_total_milli BIGINT NULL;
ALTER TABLE account_meters ADD real_sharp_milli BIGINT NULL;
ALTER TABLE account_meters ADD real_peak_milli BIGINT NULL;
ALTER TABLE account_meters ADD real_flat_milli BIGINT NULL;
ALTER TABLE account_meters ADD real_valley_milli BIGINT NULL;
ALTER TABLE account_meters ADD real_exact_cost NVARCHAR(64) NULL;

-- Power above which the meter is overloaded, in W: pushed with pushSettings where the profile takes it, and compared
-- with the power readings carry (device_alarms kind overload).
ALTER TABLE meters ADD overload_limit_w BIGINT NULL;

-- The meter's service journal: installation, verification/calibration (with the next due date), repair, replacement.
CREATE TABLE meter_service_entries (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    meter_id        BIGINT NOT NULL REFERENCES meters(id),
    kind            NVARCHAR(16)  NOT NULL,      -- installation | calibration | repair | replacement | other
    day             NVARCHAR(10)  NOT NULL,      -- when the work was done, in the site's zone
    note            NVARCHAR(500) NULL,
    next_due_day    NVARCHAR(10)  NULL,          -- the next calibration due, in the site's zone
    user_id         BIGINT NULL,                 -- who recorded it
    created_at_ms   BIGINT NOT NULL
);
CREATE INDEX ix_meter_service_entries_meter ON meter_service_entries(meter_id, day, id);

-- R31: an import of readings from a file, with its per-row outcome report for the operator to download.
CREATE TABLE reading_imports (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    user_id         BIGINT NOT NULL,             -- who imported it: the report is theirs (and readable by unscoped staff)
    file_name       NVARCHAR(260) NOT NULL,
    row_count       BIGINT NOT NULL,
    report_json     NVARCHAR(MAX) NOT NULL,      -- [{row, serial, at, registers, status, amount, reason}]
    created_at_ms   BIGINT NOT NULL
);
