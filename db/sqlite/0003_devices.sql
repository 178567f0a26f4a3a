-- Device layer: gateways and their RS-485 buses, how each meter is reached, its online state,
-- the durable command queue (single commands and batches) and device alarms.
-- Instants are UTC Unix milliseconds.

-- A TCP gateway, transparent DTU, serial port or NB-IoT platform through which meters are reached.
CREATE TABLE gateways (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites(id),
    name            TEXT    NOT NULL,
    protocol        TEXT    NOT NULL,            -- modbusTcp | modbusRtuOverTcp | modbusRtu | dlt645Tcp | cjt188Tcp | iotda | ctwing
    host            TEXT    NULL,                -- TCP gateways; NB-IoT: the platform's base URL
    port            INTEGER NULL,
    serial_port     TEXT    NULL,                -- modbusRtu: /dev/ttyUSB0
    timeout_ms      INTEGER NOT NULL,
    settings_json   TEXT    NULL,                -- NB-IoT: project/app ids, credentials, callbackToken; redacted when listed
    created_at_ms   INTEGER NOT NULL,
    UNIQUE (site_id, name)
);

-- One RS-485 segment behind a gateway: one outstanding request at a time, polled on its own interval.
CREATE TABLE buses (
    id                INTEGER PRIMARY KEY,
    gateway_id        INTEGER NOT NULL REFERENCES gateways(id),
    name              TEXT    NOT NULL,
    baud_rate         INTEGER NOT NULL,
    poll_interval_ms  INTEGER NOT NULL,
    offline_after     INTEGER NOT NULL,          -- missed polls in a row before a meter turns offline
    last_polled_at_ms INTEGER NULL,
    created_at_ms     INTEGER NOT NULL,
    UNIQUE (gateway_id, name)
);

-- How a meter is reached: its bus (or NB-IoT gateway), its address there and its profile (register map).
CREATE TABLE meter_connections (
    meter_id        INTEGER PRIMARY KEY REFERENCES meters(id),
    gateway_id      INTEGER NOT NULL REFERENCES gateways(id),
    bus_id          INTEGER NULL REFERENCES buses(id),   -- null for NB-IoT meters
    address         TEXT    NOT NULL,            -- Modbus unit "1".."247", DL/T 645 12 digits, CJ/T 188 14 digits, NB device id
    profile         TEXT    NOT NULL,
    updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX ix_meter_connections_bus ON meter_connections(bus_id);
CREATE INDEX ix_meter_connections_address ON meter_connections(gateway_id, address);

-- What the device layer last saw of a meter: online state, missed polls, last register and switch read-back.
CREATE TABLE meter_status (
    meter_id            INTEGER PRIMARY KEY REFERENCES meters(id),
    online              INTEGER NOT NULL DEFAULT 1,
    missed_polls        INTEGER NOT NULL DEFAULT 0,
    last_seen_at_ms     INTEGER NULL,
    last_total_milli    INTEGER NULL,
    switch_open         INTEGER NULL,            -- 1 relay open / valve closed, 0 supply on, null unknown
    switch_open_since_ms  INTEGER NULL,
    switch_open_total_milli INTEGER NULL,        -- register when the switch was first seen open: relay-failure check
    updated_at_ms       INTEGER NOT NULL
);

CREATE TABLE command_batches (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NULL,
    kind            TEXT    NOT NULL,
    meter_count     INTEGER NOT NULL,
    user_id         INTEGER NULL,
    created_at_ms   INTEGER NOT NULL
);

-- The durable queue: Requested -> Sent -> Confirmed | Failed | Expired. Nothing is deleted.
CREATE TABLE device_commands (
    id                  INTEGER PRIMARY KEY,
    meter_id            INTEGER NOT NULL REFERENCES meters(id),
    kind                TEXT    NOT NULL,        -- trip | close | keepOn | restorePrepaid | valveOpen | valveClose | pushTariff | pushSettings
    payload_json        TEXT    NULL,
    source              TEXT    NOT NULL,        -- engine | operator | batch
    outbox_id           INTEGER NULL,            -- the engine's switch request it came from
    batch_id            INTEGER NULL REFERENCES command_batches(id),
    state               TEXT    NOT NULL,        -- requested | sent | confirmed | failed | expired
    detail              TEXT    NULL,            -- e.g. "waiting for the meter's next report"
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    expires_at_ms       INTEGER NOT NULL,
    platform_command_id TEXT    NULL,            -- NB-IoT platform's id for a cached command
    error               TEXT    NULL,
    user_id             INTEGER NULL,
    created_at_ms       INTEGER NOT NULL,
    updated_at_ms       INTEGER NOT NULL
);
CREATE INDEX ix_device_commands_due ON device_commands(state, next_attempt_at_ms);
CREATE INDEX ix_device_commands_meter ON device_commands(meter_id, id);
CREATE INDEX ix_device_commands_batch ON device_commands(batch_id);
CREATE UNIQUE INDEX ux_device_commands_outbox ON device_commands(outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX ix_device_commands_platform ON device_commands(platform_command_id) WHERE platform_command_id IS NOT NULL;

-- Offline meters and relays that do not hold; cleared_at_ms set when the condition ends.
CREATE TABLE device_alarms (
    id              INTEGER PRIMARY KEY,
    meter_id        INTEGER NOT NULL REFERENCES meters(id),
    kind            TEXT    NOT NULL,            -- offline | relayFailure
    detail          TEXT    NOT NULL,
    raised_at_ms    INTEGER NOT NULL,
    cleared_at_ms   INTEGER NULL
);
CREATE INDEX ix_device_alarms_open ON device_alarms(meter_id, kind, cleared_at_ms);
