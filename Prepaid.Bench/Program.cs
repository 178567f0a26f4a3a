using Prepaid.Bench;

// The benchmarks the issues ask for; each prints its figures. Run in Release:
//   dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts 10000] [--readings 500000] [--commits 1000] [--synchronous both|full|normal] [--database sqlite|postgres] [--connection "Host=..."] [--history 0]
//   dotnet run -c Release --project Prepaid.Bench -- switch [--meters 1000] [--buses 50] [--baud 9600] [--turnaround 5]
//   dotnet run -c Release --project Prepaid.Bench -- poll [--meters 10000] [--gateways 500] [--baud 9600] [--warmup 10] [--sweeps 6] [--simulators process|inline] [--accounts true|false] [--watts N]
//   dotnet run -c Release --project Prepaid.Bench -- dashboard [--meters 10000] [--clients 20] [--rate 1000]
//   dotnet run -c Release --project Prepaid.Bench -- signin [--attempts 200]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "ingest":
        await IngestBench.RunAsync(options);
        return 0;
    case "switch":
        await SwitchBench.RunAsync(options);
        return 0;
    case "poll":
        await PollBench.RunAsync(options);
        return 0;
    case "sim-buses":
        // The poll benchmark's simulators, in a process of their own so their CPU is not counted as the poller's.
        await SimulatedBuses.ServeAsync(options);
        return 0;
    case "dashboard":
        return await DashboardBench.RunAsync(options);
    case "signin":
        await SignInBench.RunAsync(options);
        return 0;
    default:
        Console.WriteLine("Usage: dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts N] [--readings N] [--commits N] [--synchronous both|full|normal] [--database sqlite|postgres] [--connection CS] [--history N]");
        Console.WriteLine("       dotnet run -c Release --project Prepaid.Bench -- switch [--meters N] [--buses N] [--baud N] [--turnaround MS]");
        Console.WriteLine("       dotnet run -c Release --project Prepaid.Bench -- poll [--meters N] [--gateways N] [--baud N] [--warmup N] [--sweeps N] [--simulators process|inline] [--accounts true|false] [--watts N]");
        Console.WriteLine("       dotnet run -c Release --project Prepaid.Bench -- dashboard [--meters N] [--clients N] [--rate N] [--seconds N]");
        Console.WriteLine("       dotnet run -c Release --project Prepaid.Bench -- signin [--attempts N]");
        return command == "help" ? 0 : 2;
}
