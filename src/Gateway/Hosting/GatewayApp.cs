using Gateway.Api;
using Gateway.Delivery;
using Gateway.Discovery;
using Gateway.Filters;
using Gateway.Filters.Cesql;
using Gateway.Ingress;
using Gateway.Protocols.Abstractions;
using Gateway.OpenWhisk;
using Gateway.Protocols.Http;
using Gateway.Protocols.Kafka;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Mqtt.Packets;
using Gateway.Protocols.Nats;
using Gateway.Protocols.OpenWhisk;
using Gateway.Storage;
using Gateway.Storage.Sqlite;
using Gateway.Subscriptions;

namespace Gateway.Hosting;

/// <summary>Builds the gateway: configuration, services and endpoints.</summary>
internal static class GatewayApp
{
    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships beside the binary; data paths (the SQLite file) still resolve against the working
        // directory (design.md, "Configuration").
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var urls = builder.Configuration["urls"];
        if (string.IsNullOrEmpty(urls))
        {
            urls = GatewayOptions.DefaultUrl;
            builder.WebHost.UseUrls(urls);
        }

        var options = GatewayOptions.Read(builder.Configuration, urls.Split(';', StringSplitOptions.RemoveEmptyEntries));
        if (options.Storage != "sqlite")
        {
            throw new InvalidOperationException($"Gateway:Storage '{options.Storage}' is not available; this build stores in 'sqlite'.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Ingress.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 128;
        });
        AddServices(builder.Services, options);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapSubscriptions();
        app.MapIngress();
        app.MapDiscovery();
        app.MapOpenWhiskFeed();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ready" }));
        return app;
    }

    private static void AddServices(IServiceCollection services, GatewayOptions options)
    {
        services.AddProblemDetails();
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new SqliteDatabase(options.ConnectionString));
        services.AddSingleton<ISubscriptionStore, SqliteSubscriptionStore>();
        services.AddSingleton<IEventLog, SqliteEventLog>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<SinkPauses>();
        services.AddSingleton<DeliveryContext>();
        services.AddSingleton<IProtocolBinding>(new HttpProtocolBinding(options.HttpDelivery));
        var openWhisk = new OpenWhiskProtocolBinding(options.HttpDelivery);
        services.AddSingleton(openWhisk);
        services.AddSingleton<IProtocolBinding>(openWhisk);
        services.AddSingleton(new OpenWhiskFeedOptions(options.OpenWhiskFeedSecret));
        services.AddSingleton<IProtocolBinding, NatsProtocolBinding>();
        services.AddSingleton<IProtocolBinding>(new MqttProtocolBinding(MqttVersion.V311));
        services.AddSingleton<IProtocolBinding>(new MqttProtocolBinding(MqttVersion.V500));
        services.AddSingleton<IProtocolBinding>(new KafkaProtocolBinding(options.KafkaLibraryPath));
        services.AddSingleton<ProtocolRegistry>();
        services.AddSingleton(new FilterCompiler([.. FilterCompiler.RequiredDialects, new CesqlDialect()]));
        services.AddSingleton<SubscriptionValidator>();
        services.AddSingleton<DeliveryEngine>();
        services.AddSingleton<SubscriptionManager>();
        services.AddSingleton(options.Discovery);
        services.AddSingleton<IDiscoveryStore, SqliteDiscoveryStore>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<EventCatalog>();
        services.AddSingleton<DiscoveryView>();
        services.AddHostedService<StoreInitializer>();
        services.AddHostedService<DiscoveryInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<EventCatalog>());
        services.AddHostedService<Dispatcher>();
    }
}
