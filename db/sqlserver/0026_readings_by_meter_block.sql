-- The meter block readings are indexed by on SQLite (see db/sqlite/0026): queries name it, so the column exists here too.
-- SQL Server keeps ux_readings_meter_at (meter_id, at_ms), which serves them by meter_id alone.
ALTER TABLE readings ADD meter_block AS (meter_id / 64);
