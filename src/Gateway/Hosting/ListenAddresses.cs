namespace Gateway.Hosting;

/// <summary>
/// Every address the gateway will listen on, however it was configured: <c>--urls</c> (or <c>ASPNETCORE_URLS</c>),
/// <c>HTTP_PORTS</c>/<c>HTTPS_PORTS</c> (which bind every interface), and Kestrel's own endpoints
/// (<c>Kestrel:Endpoints:{name}:Url</c>, where HTTPS certificates are configured). The exposure-dependent defaults
/// and the authentication rule are decided on all of them, so no endpoint listens open by oversight.
/// </summary>
internal static class ListenAddresses
{
    public static IReadOnlyList<string> Read(IConfiguration configuration)
    {
        var addresses = new List<string>(Split(configuration["urls"], ';'));
        addresses.AddRange(Split(configuration["http_ports"], ';', ',').Select(port => $"http://*:{port}"));
        addresses.AddRange(Split(configuration["https_ports"], ';', ',').Select(port => $"https://*:{port}"));
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>());
        return addresses;
    }

    private static string[] Split(string? text, params char[] separators) =>
        (text ?? string.Empty).Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
