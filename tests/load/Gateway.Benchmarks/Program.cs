using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/load/Gateway.Benchmarks -- --filter '*'   (see BENCHMARKS.md)
BenchmarkSwitcher.FromAssembly(typeof(Gateway.Benchmarks.FormatBenchmarks).Assembly).Run(args);
