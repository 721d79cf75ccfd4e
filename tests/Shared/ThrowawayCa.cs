using System.Diagnostics;

namespace Gateway.Testing;

/// <summary>
/// A certificate authority made by openssl for one test class, and a server certificate it signed for
/// <c>localhost</c> and <c>127.0.0.1</c>, as PEM files: what a company CA gives its brokers, in miniature.
/// </summary>
public sealed class ThrowawayCa
{
    private ThrowawayCa(string directory)
    {
        CaFile = Path.Combine(directory, "ca.crt");
        ServerCertificateFile = Path.Combine(directory, "server.crt");
        ServerKeyFile = Path.Combine(directory, "server.key");
    }

    /// <summary>The authority's certificate, what a client trusts.</summary>
    public string CaFile { get; }

    /// <summary>The server's certificate, signed by the authority.</summary>
    public string ServerCertificateFile { get; }

    /// <summary>The server certificate's private key (unencrypted PEM).</summary>
    public string ServerKeyFile { get; }

    /// <summary>Makes a new authority named <paramref name="name"/> and its server certificate.</summary>
    public static async Task<ThrowawayCa> CreateAsync(string name)
    {
        var directory = Directory.CreateTempSubdirectory("throwaway-ca-").FullName;
        var ca = new ThrowawayCa(directory);
        var caKey = Path.Combine(directory, "ca.key");
        var request = Path.Combine(directory, "server.csr");
        var extensions = Path.Combine(directory, "server.ext");
        await File.WriteAllTextAsync(extensions, string.Join('\n',
            "basicConstraints=CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ""));
        await OpenSslAsync(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", $"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", caKey, "-out", ca.CaFile);
        await OpenSslAsync(
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=localhost", "-keyout", ca.ServerKeyFile, "-out", request);
        await OpenSslAsync(
            "x509", "-req", "-in", request, "-CA", ca.CaFile, "-CAkey", caKey, "-CAcreateserial", "-days", "2",
            "-extfile", extensions, "-out", ca.ServerCertificateFile);

        // Brokers started as root drop to their own user (Mosquitto does) and must still read the files.
        if (OperatingSystem.IsWindows())
        {
            return ca;
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var file in Directory.GetFiles(directory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return ca;
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var openssl = Process.Start(start)!;
        var errors = openssl.StandardError.ReadToEndAsync();
        await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        if (openssl.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {arguments[0]} failed: {await errors}");
        }
    }
}
