using System.Diagnostics;
using System.Net;

namespace Gateway.Load;

/// <summary>Starts the baseline and the gateway as their own processes, so each is measured apart from the tool.</summary>
internal static class ChildProcess
{
    public static Process Start(string dll, string workingDirectory, params string[] args)
    {
        // The child's log goes to our stderr, so that stdout carries the figures alone.
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start");
        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitReadyAsync(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"nothing became ready on port {port}");
    }

    private static void Forward(object sender, DataReceivedEventArgs line)
    {
        if (line.Data is not null)
        {
            Console.Error.WriteLine(line.Data);
        }
    }
}
