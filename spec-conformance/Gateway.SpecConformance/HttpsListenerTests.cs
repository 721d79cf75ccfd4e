using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.SpecConformance.Infrastructure;
using Gateway.Testing;

namespace Gateway.SpecConformance;

/// <summary>
/// Kestrel serves HTTPS from configuration (a PEM certificate and key), and an endpoint configured
/// that way counts for exposure like <c>--urls</c> does: beyond loopback without authentication, no start.
/// </summary>
public sealed class HttpsListenerTests
{
    private static async Task<(string Certificate, string Key, string Thumbprint)> NewCertificateAsync(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "gateway.crt");
        var keyPath = Path.Combine(directory, "gateway.key");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.Thumbprint);
    }

    private static Process Start(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task Kestrel_ServesHttps_FromAPemCertificateInConfiguration()
    {
        var directory = Directory.CreateTempSubdirectory("gateway-https-").FullName;
        var (certificate, key, thumbprint) = await NewCertificateAsync(directory);
        var port = LocalServer.FreePort();
        using var gateway = Start(
            directory,
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{port}",
            $"--Kestrel:Endpoints:Https:Certificate:Path={certificate}",
            $"--Kestrel:Endpoints:Https:Certificate:KeyPath={key}");
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate made above, as a client pinning it would.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => (seen = presented?.Thumbprint) == thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/") };
        try
        {
            HttpResponseMessage? health = null;
            for (var attempt = 0; attempt < 100 && health is null; attempt++)
            {
                try
                {
                    health = await client.GetAsync("healthz");
                }
                catch (HttpRequestException) when (!gateway.HasExited)
                {
                    await Task.Delay(200);
                }
            }

            Assert.NotNull(health);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(thumbprint, seen);
            health.Dispose();
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_KestrelEndpointBeyondLoopback_WithoutAuthentication_RefusesToStart()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address, so nothing is ever bound there.
        var (exitCode, output) = await GatewayProcess.RunToExitAsync("--Kestrel:Endpoints:Public:Url=http://192.0.2.1:8080");

        Assert.Equal(2, exitCode);
        Assert.Contains("Gateway:Auth:Mode", output, StringComparison.Ordinal);
    }
}
