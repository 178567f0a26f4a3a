-- R16a: the switch reconciliation keeps "trip failed" / "close failed" alarms in device_alarms
-- (kind tripFailed | closeFailed, next to offline | relayFailure) and looks up the open ones on every pass.
CREATE INDEX ix_device_alarms_open_by_kind ON device_alarms(kind, meter_id) WHERE cleared_at_ms IS NULL;
