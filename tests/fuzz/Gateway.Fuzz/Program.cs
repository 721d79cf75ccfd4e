using Gateway.Fuzz;
using SharpFuzz;

// Under afl-fuzz (compose/fuzz.sh): one target, its input on stdin, a crash for anything but a documented refusal.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: Gateway.Fuzz <target>; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
