using Gateway.Hosting;

await GatewayApp.Build(args).RunAsync();
