using Dapper;
using Prepaid.Api.Data;
using Prepaid.Devices.Simulator;

namespace Prepaid.Api.Demo;

/// <summary>
/// The demo's field side: the mall's meters behind four simulated gateways on loopback ports, one of each kind —
/// a Modbus TCP gateway (shops 1–8), a transparent RTU-over-TCP DTU (9–12), a DL/T 645 converter (13–16) and a
/// CJ/T 188 converter with water meters (17–18); shops 19–20 are NB-IoT water meters behind the fake IoTDA platform
/// (<see cref="DemoNbIotMeters"/>). The real poller and dispatcher talk to them over TCP and HTTP.
/// Loads are a shop-sized day scaled up sixtyfold (up to 180 kW: kitchens, cold rooms), so balances visibly move within minutes.
/// </summary>
public sealed class DemoSimulator(TimeProvider time) : IAsyncDisposable
{
    public const string ModbusGateway = "Demo Modbus TCP gateway", Dtu = "Demo 4G DTU (RTU over TCP)", Dlt645Gateway = "Demo DL/T 645 converter",
        WaterGateway = "Demo CJ/T 188 water converter", NbIotGateway = "Demo NB-IoT platform (IoTDA)";

    readonly List<LoopbackServer> servers = [];

    public Dictionary<string, int> Ports { get; } = new();

    /// <summary>Where the database last saw each meter, by serial (thousandths of the unit).</summary>
    public Dictionary<string, long> LastTotals { get; private set; } = new();

    public static LoadProfile ShopLoad { get; } = LoadProfile.Default with { WattsByHour = LoadProfile.Default.WattsByHour.Select(w => w * 60).ToArray() };

    /// <summary>The address of shop <paramref name="shop"/> on its bus (Modbus unit, DL/T 645 or CJ/T 188 address).</summary>
    public static string Address(int shop) => shop switch
    {
        <= 8 => shop.ToString(System.Globalization.CultureInfo.InvariantCulture),
        <= 12 => (shop - 8).ToString(System.Globalization.CultureInfo.InvariantCulture),
        <= 16 => $"0000000000{shop:D2}",
        <= 18 => $"000000000000{shop:D2}",
        _ => $"nb-{shop:D4}",
    };

    public static (string Gateway, string Profile) Placement(int shop) => shop switch
    {
        <= 8 => (ModbusGateway, "generic-modbus"),
        <= 12 => (Dtu, "generic-modbus"),
        <= 16 => (Dlt645Gateway, "dlt645-2007"),
        <= 18 => (WaterGateway, "cjt188-water"),
        _ => (NbIotGateway, "nbiot-water"),
    };

    /// <summary>Starts the gateways with each meter's register where the database last saw it, so a restarted demo
    /// continues its series instead of starting again from zero.</summary>
    public async Task StartAsync(Db db)
    {
        Dictionary<string, long> last;
        await using (var connection = await db.OpenAsync())
            last = (await connection.QueryAsync<(string Serial, long Total)>("""
                SELECT m.serial, COALESCE(MAX(am.last_total_milli), 0) FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id GROUP BY m.serial
                """)).ToDictionary(r => r.Serial, r => r.Total);
        LastTotals = last;
        SimulatedElectricMeter Electric(int shop) =>
            new((byte)int.Parse(Address(shop) is { Length: <= 3 } a ? a : "1"), Address(shop), time, ShopLoad, last.GetValueOrDefault($"E{shop:000}")) { RegisterStepWh = 10 };
        var modbus = new ModbusBus(Enumerable.Range(1, 8).Select(Electric));
        var dtu = new ModbusBus(Enumerable.Range(9, 4).Select(Electric));
        var dlt645 = Enumerable.Range(13, 4).Select(Electric).ToList();
        var water = Enumerable.Range(17, 2).Select(i => new SimulatedWaterMeter(Address(i), time, 3000, last.GetValueOrDefault($"W{i:000}") * 1000)).ToList();
        // 9600 Bd timing on the Modbus buses, 2400 Bd on the DL/T 645 and M-Bus lines, as in the field.
        Add(ModbusGateway, new ModbusTcpGatewaySimulator(modbus) { Timing = new WireTiming(9600, 10) });
        Add(Dtu, new ModbusRtuDtuSimulator(dtu) { Timing = new WireTiming(9600, 10) });
        Add(Dlt645Gateway, new Dlt645GatewaySimulator(dlt645) { Timing = new WireTiming(2400, 30) });
        Add(WaterGateway, new Cjt188GatewaySimulator(water) { Timing = new WireTiming(2400, 30) });
    }

    void Add(string name, LoopbackServer server)
    {
        servers.Add(server.Start());
        Ports[name] = server.Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
    }
}
