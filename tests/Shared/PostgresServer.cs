using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: a fresh cluster (<c>initdb</c>) in a temporary folder, started with
/// <c>pg_ctl</c> on a free loopback port with trust authentication for the <c>postgres</c> role, stopped and deleted on
/// dispose. It uses the server binaries of the Debian packaging (<c>apt-get install postgresql</c>, which
/// <c>compose/test.sh</c> does); when the tests run as root, the server runs as the <c>postgres</c> system user through
/// <c>runuser</c>, since initdb and postgres refuse to run as root. Only the BCL is used: this file is linked into every
/// test project.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string InstallHint = "install the PostgreSQL server with `apt-get install postgresql` (compose/test.sh does)";
    private const string DebianRoot = "/usr/lib/postgresql";
    private const int StartAttempts = 3;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string binDirectory;
    private readonly string directory;
    private readonly bool asPostgresUser;
    private int disposed;

    private PostgresServer(string binDirectory, string directory, bool asPostgresUser, int port)
    {
        this.binDirectory = binDirectory;
        this.directory = directory;
        this.asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The loopback TCP port the server listens on (host <c>127.0.0.1</c>).</summary>
    public int Port { get; }

    /// <summary>
    /// Initializes a new cluster in a temporary folder and starts it on a free loopback port; returns once the server
    /// accepts TCP connections. Throws <see cref="InvalidOperationException"/> (with the server log) when PostgreSQL is
    /// not installed or does not start.
    /// </summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = await FindBinDirectoryAsync()
            ?? throw new InvalidOperationException(
                $"the PostgreSQL server binaries (initdb, pg_ctl) were found neither under {DebianRoot}/<version>/bin nor in `pg_config --bindir`; {InstallHint}");
        var asPostgresUser = await IsRootAsync();
        var directory = Directory.CreateTempSubdirectory("pg-").FullName;
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", directory]);
            }

            await RunToolAsync(binDirectory, asPostgresUser, "initdb",
                ["-D", directory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);

            for (var attempt = 1; ; attempt++)
            {
                // The port is free when probed, but another process may take it before postgres binds it: retry then.
                var port = LocalServer.FreePort();
                try
                {
                    await RunToolAsync(binDirectory, asPostgresUser, "pg_ctl",
                        ["-D", directory, "-l", LogPath(directory), "-o", ServerOptions(port, directory), "-w", "start"]);
                }
                catch (InvalidOperationException) when (attempt < StartAttempts && ReadLog(directory).Contains("already in use", StringComparison.Ordinal))
                {
                    continue;
                }

                await WaitForTcpAsync(port);
                return new PostgresServer(binDirectory, directory, asPostgresUser, port);
            }
        }
        catch (Exception ex)
        {
            var log = ReadLog(directory);
            if (File.Exists(Path.Combine(directory, "postmaster.pid")))
            {
                try
                {
                    await RunToolAsync(binDirectory, asPostgresUser, "pg_ctl", ["-D", directory, "-m", "immediate", "stop"]);
                }
                catch (Exception stopException) when (stopException is InvalidOperationException or TimeoutException)
                {
                    // The start failure is the error to report.
                }
            }

            DeleteDirectory(directory);
            throw new InvalidOperationException(
                $"PostgreSQL did not start from {binDirectory} in {directory} ({InstallHint}): {ex.Message}{Environment.NewLine}--- server log ---{Environment.NewLine}{log}",
                ex);
        }
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the <c>postgres</c> role (trust, no password).</summary>
    public string ConnectionString(string database = "postgres") =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true");

    /// <summary>Creates the database <paramref name="name"/> (lowercase letters, digits and underscores only) with psql.</summary>
    public async Task CreateDatabaseAsync(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException("a test database name is 1 to 63 characters of [a-z0-9_]: " + name, nameof(name));
        }

        var bundled = Path.Combine(binDirectory, "psql");
        var psql = File.Exists(bundled) ? bundled : "/usr/bin/psql";
        await RunAsync(psql,
        [
            "-X", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-c", $"CREATE DATABASE \"{name}\"",
        ]);
    }

    /// <summary>
    /// Stops the server, keeps it down for <paramref name="downtime"/>, and starts it again on the same port and data
    /// (an outage, as a failover or a restart of the database looks to its clients).
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await RunToolAsync(binDirectory, asPostgresUser, "pg_ctl", ["-D", directory, "-m", "fast", "-w", "stop"]);
        await Task.Delay(downtime);
        await RunToolAsync(binDirectory, asPostgresUser, "pg_ctl",
            ["-D", directory, "-l", LogPath(directory), "-o", ServerOptions(Port, directory), "-w", "start"]);
        await WaitForTcpAsync(Port);
    }

    /// <summary>Stops the server (immediate mode: the data is thrown away anyway) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await RunToolAsync(binDirectory, asPostgresUser, "pg_ctl", ["-D", directory, "-m", "immediate", "stop"]);
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    private static string ServerOptions(int port, string directory) =>
        // pg_ctl hands these to /bin/sh, hence the quotes around the folder.
        // fsync=off is a test-speed choice: the tests do not check durability across a power loss, and the gateway's
        // crash tests kill the gateway, not PostgreSQL (whose writes still reach the OS page cache).
        string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -k '{directory}' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");

    private static string LogPath(string directory) => Path.Combine(directory, "log");

    private static string ReadLog(string directory)
    {
        try
        {
            return File.Exists(LogPath(directory)) ? File.ReadAllText(LogPath(directory)) : "(no log file)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "(the log could not be read: " + ex.Message + ")";
        }
    }

    private static async Task<string?> FindBinDirectoryAsync()
    {
        if (Directory.Exists(DebianRoot))
        {
            var newest = Directory.GetDirectories(DebianRoot)
                .Select(versionDirectory => (
                    Bin: Path.Combine(versionDirectory, "bin"),
                    Parsed: decimal.TryParse(Path.GetFileName(versionDirectory), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var version),
                    Version: version))
                .Where(candidate => candidate.Parsed && HasServerTools(candidate.Bin))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        try
        {
            var bin = (await RunAsync("pg_config", ["--bindir"])).Trim();
            return HasServerTools(bin) ? bin : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    private static bool HasServerTools(string bin) =>
        File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl"));

    private static async Task<bool> IsRootAsync()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }

        try
        {
            return (await RunAsync("id", ["-u"])).Trim() == "0";
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task WaitForTcpAsync(int port)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, attempt.Token);
                return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                if (elapsed.Elapsed > ReadyTimeout)
                {
                    throw new TimeoutException($"PostgreSQL did not accept TCP connections on 127.0.0.1:{port} within {ReadyTimeout.TotalSeconds} s: {ex.Message}");
                }
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Runs a PostgreSQL tool from <paramref name="binDirectory"/>, as the postgres user when the tests run as root.</summary>
    private static Task<string> RunToolAsync(string binDirectory, bool asPostgresUser, string tool, IReadOnlyList<string> arguments)
    {
        var path = Path.Combine(binDirectory, tool);
        if (!asPostgresUser)
        {
            return RunAsync(path, arguments);
        }

        var runuser = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : File.Exists("/sbin/runuser") ? "/sbin/runuser" : "runuser";
        return RunAsync(runuser, ["-u", "postgres", "--", path, .. arguments]);
    }

    /// <summary>Runs a process to its end (at most <see cref="CommandTimeout"/>) and returns its standard output.</summary>
    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A folder every user can enter: the postgres user cannot read e.g. /root, which initdb and psql warn about.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = fileName + " " + string.Join(' ', arguments);
        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{commandLine} could not be started: {ex.Message}", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited meanwhile.
            }

            throw new TimeoutException(
                $"{commandLine} did not finish within {CommandTimeout.TotalSeconds} s{Environment.NewLine}{Describe(output, error)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{commandLine} exited with code {process.ExitCode}{Environment.NewLine}{Describe(output, error)}");
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Describe(StringBuilder output, StringBuilder error)
    {
        string stdout, stderr;
        lock (output)
        {
            stdout = output.ToString();
        }

        lock (error)
        {
            stderr = error.ToString();
        }

        return $"--- stdout ---{Environment.NewLine}{stdout}--- stderr ---{Environment.NewLine}{stderr}";
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder does not fail a test.
        }
    }
}
