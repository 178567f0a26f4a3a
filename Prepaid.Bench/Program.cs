using Prepaid.Bench;

// The benchmarks the issues ask for; each prints its figures. Run in Release:
//   dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts 10000] [--readings 1000000]
var command = args.FirstOrDefault() ?? "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "ingest":
        await IngestBench.RunAsync(options);
        return 0;
    default:
        Console.WriteLine("Usage: dotnet run -c Release --project Prepaid.Bench -- ingest [--accounts N] [--readings N]");
        return command == "help" ? 0 : 2;
}
