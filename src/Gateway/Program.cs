using Gateway.Hosting;

WebApplication app;
try
{
    app = GatewayApp.Build(args);
}
catch (ConfigurationException ex)
{
    // An operator's mistake, not a crash: say which setting, and exit as a usage error.
    await Console.Error.WriteLineAsync($"gateway: {ex.Message}");
    return 2;
}

await app.RunAsync();
return 0;
