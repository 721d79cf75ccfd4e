using System.Globalization;

namespace Gateway.Load;

/// <summary>How long and how hard to drive each target.</summary>
internal sealed record LoadOptions(int DurationSeconds, int Connections, int Runs, int Subscriptions)
{
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions(DurationSeconds: 10, Connections: 32, Runs: 3, Subscriptions: 100);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--duration" => options with { DurationSeconds = value },
                "--connections" => options with { Connections = value },
                "--runs" => options with { Runs = value },
                "--subscriptions" => options with { Subscriptions = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
