-- Device layer: gateways and their RS-485 buses, how each meter is reached, its online state,
-- the durable command queue (single commands and batches) and device alarms.
-- Instants are UTC Unix milliseconds.

-- A TCP gateway, transparent DTU, serial port or NB-IoT platform through which meters are reached.
CREATE TABLE gateways (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id         BIGINT NOT NULL REFERENCES sites(id),
    name            NVARCHAR(200) NOT NULL,
    protocol        NVARCHAR(200) NOT NULL,            -- modbusTcp | modbusRtuOverTcp | modbusRtu | dlt645Tcp | cjt188Tcp | iotda | ctwing
    host            NVARCHAR(MAX)    NULL,                -- TCP gateways; NB-IoT: the platform's base URL
    port            BIGINT NULL,
    serial_port     NVARCHAR(MAX)    NULL,                -- modbusRtu: /dev/ttyUSB0
    timeout_ms      BIGINT NOT NULL,
    settings_json   NVARCHAR(MAX)    NULL,                -- NB-IoT: project/app ids, credentials, callbackToken; redacted when listed
    created_at_ms   BIGINT NOT NULL,
    UNIQUE (site_id, name)
);

-- One RS-485 segment behind a gateway: one outstanding request at a time, polled on its own interval.
CREATE TABLE buses (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    gateway_id        BIGINT NOT NULL REFERENCES gateways(id),
    name              NVARCHAR(200) NOT NULL,
    baud_rate         BIGINT NOT NULL,
    poll_interval_ms  BIGINT NOT NULL,
    offline_after     BIGINT NOT NULL,          -- missed polls in a row before a meter turns offline
    last_polled_at_ms BIGINT NULL,
    created_at_ms     BIGINT NOT NULL,
    UNIQUE (gateway_id, name)
);

-- How a meter is reached: its bus (or NB-IoT gateway), its address there and its profile (register map).
CREATE TABLE meter_connections (
    meter_id        BIGINT PRIMARY KEY REFERENCES meters(id),
    gateway_id      BIGINT NOT NULL REFERENCES gateways(id),
    bus_id          BIGINT NULL REFERENCES buses(id),   -- null for NB-IoT meters
    address         NVARCHAR(200) NOT NULL,            -- Modbus unit "1".."247", DL/T 645 12 digits, CJ/T 188 14 digits, NB device id
    profile         NVARCHAR(200) NOT NULL,
    updated_at_ms   BIGINT NOT NULL
);
CREATE INDEX ix_meter_connections_bus ON meter_connections(bus_id);
CREATE INDEX ix_meter_connections_address ON meter_connections(gateway_id, address);

-- What the device layer last saw of a meter: online state, missed polls, last register and switch read-back.
CREATE TABLE meter_status (
    meter_id            BIGINT PRIMARY KEY REFERENCES meters(id),
    online              BIGINT NOT NULL DEFAULT 1,
    missed_polls        BIGINT NOT NULL DEFAULT 0,
    last_seen_at_ms     BIGINT NULL,
    last_total_milli    BIGINT NULL,
    switch_open         BIGINT NULL,            -- 1 relay open / valve closed, 0 supply on, null unknown
    switch_open_since_ms  BIGINT NULL,
    switch_open_total_milli BIGINT NULL,        -- register when the switch was first seen open: relay-failure check
    updated_at_ms       BIGINT NOT NULL
);

CREATE TABLE command_batches (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id         BIGINT NULL,
    kind            NVARCHAR(200) NOT NULL,
    meter_count     BIGINT NOT NULL,
    user_id         BIGINT NULL,
    created_at_ms   BIGINT NOT NULL
);

-- The durable queue: Requested -> Sent -> Confirmed | Failed | Expired. Nothing is deleted.
CREATE TABLE device_commands (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    meter_id            BIGINT NOT NULL REFERENCES meters(id),
    kind                NVARCHAR(200) NOT NULL,        -- trip | close | keepOn | restorePrepaid | valveOpen | valveClose | pushTariff | pushSettings
    payload_json        NVARCHAR(MAX)    NULL,
    source              NVARCHAR(200) NOT NULL,        -- engine | operator | batch
    outbox_id           BIGINT NULL,            -- the engine's switch request it came from
    batch_id            BIGINT NULL REFERENCES command_batches(id),
    state               NVARCHAR(200) NOT NULL,        -- requested | sent | confirmed | failed | expired
    detail              NVARCHAR(MAX)    NULL,            -- e.g. "waiting for the meter's next report"
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at_ms  BIGINT NOT NULL,
    expires_at_ms       BIGINT NOT NULL,
    platform_command_id NVARCHAR(100) NULL,            -- NB-IoT platform's id for a cached command
    error               NVARCHAR(MAX)    NULL,
    user_id             BIGINT NULL,
    created_at_ms       BIGINT NOT NULL,
    updated_at_ms       BIGINT NOT NULL
);
CREATE INDEX ix_device_commands_due ON device_commands(state, next_attempt_at_ms);
CREATE INDEX ix_device_commands_meter ON device_commands(meter_id, id);
CREATE INDEX ix_device_commands_batch ON device_commands(batch_id);
CREATE UNIQUE INDEX ux_device_commands_outbox ON device_commands(outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX ix_device_commands_platform ON device_commands(platform_command_id) WHERE platform_command_id IS NOT NULL;

-- Offline meters and relays that do not hold; cleared_at_ms set when the condition ends.
CREATE TABLE device_alarms (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    meter_id        BIGINT NOT NULL REFERENCES meters(id),
    kind            NVARCHAR(200) NOT NULL,            -- offline | relayFailure
    detail          NVARCHAR(1000) NOT NULL,
    raised_at_ms    BIGINT NOT NULL,
    cleared_at_ms   BIGINT NULL
);
CREATE INDEX ix_device_alarms_open ON device_alarms(meter_id, kind, cleared_at_ms);
