-- NB-IoT presence: a meter that reports on its own schedule turns offline once it misses its expected report windows
-- (report_period_ms × offline_after_reports, from its last report); both null on wired meters, whose missed polls decide.
ALTER TABLE meter_connections ADD report_period_ms BIGINT NULL, offline_after_reports BIGINT NULL;

-- The profile once named acrel-ddsy1352 (relay control at HR 0x0057, from a third-party plugin) is now acrel-ems-plugin;
-- acrel-ddsy1352 names the read-only map of Acrel's own manual. Meters connected before keep the behaviour they had.
UPDATE meter_connections SET profile = 'acrel-ems-plugin' WHERE profile = 'acrel-ddsy1352';
UPDATE meters SET connection_json = REPLACE(connection_json, '"profile":"acrel-ddsy1352"', '"profile":"acrel-ems-plugin"')
WHERE connection_json LIKE '%"profile":"acrel-ddsy1352"%';
