using Prepaid.Bench;

// The benchmarks the issues ask for; each prints its figures. Run in Release:
//   dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts 10000] [--readings 1000000]
//   dotnet run -c Release --project Prepaid.Bench -- dashboard [--meters 10000] [--clients 20] [--rate 1000]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "ingest":
        await IngestBench.RunAsync(options);
        return 0;
    case "dashboard":
        return await DashboardBench.RunAsync(options);
    default:
        Console.WriteLine("Usage: dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts N] [--readings N]");
        Console.WriteLine("       dotnet run -c Release --project Prepaid.Bench -- dashboard [--meters N] [--clients N] [--rate N] [--seconds N]");
        return command == "help" ? 0 : 2;
}
