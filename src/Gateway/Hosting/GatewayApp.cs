using Gateway.Api;
using Gateway.Delivery;
using Gateway.Discovery;
using Gateway.Filters;
using Gateway.Filters.Cesql;
using Gateway.Ingress;
using Gateway.OpenWhisk;
using Gateway.Protocols.Abstractions;
using Gateway.Protocols.Http;
using Gateway.Protocols.Kafka;
using Gateway.Protocols.Mqtt;
using Gateway.Protocols.Nats;
using Gateway.Protocols.OpenWhisk;
using Gateway.Security;
using Gateway.Sources;
using Gateway.Storage;
using Gateway.Storage.Postgres;
using Gateway.Storage.Secrets;
using Gateway.Storage.Sqlite;
using Gateway.Subscriptions;
using Gateway.Timers;

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
        var listen = ListenAddresses.Read(builder.Configuration);
        if (listen.Count == 0)
        {
            listen = [GatewayOptions.DefaultUrl];
            builder.WebHost.UseUrls(GatewayOptions.DefaultUrl);
        }

        var options = GatewayOptions.Read(builder.Configuration, listen);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Ingress.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 128;
        });
        AddServices(builder.Services, options);
        builder.Services.AddSingleton(DeclaredSources.Read(builder.Configuration));

        var app = builder.Build();
        AuthStartLog.Write(app.Logger, options.Auth, string.Join(", ", listen));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.Auth.Enforced)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        if (options.Ingress.RequestsPerMinute is not null)
        {
            app.UseRateLimiter();
        }
        app.MapSubscriptions();
        app.MapIngress();
        app.MapDiscovery();
        app.MapOpenWhiskFeed();
        app.MapSources();
        app.MapGet("/healthz", (ILogPartitions partitions) => TypedResults.Ok(new { status = "ready", partitions = partitions.Owned.Order() }));
        return app;
    }

    /// <summary>
    /// The stores, migrated before anything else starts (hosted services start in the order they are added). With
    /// PostgreSQL the node also leases log partitions and follows other nodes' subscription changes.
    /// </summary>
    private static void AddStorage(IServiceCollection services, GatewayOptions options)
    {
        services.AddStoredSecrets(options.Storage, options.ConnectionString);
        switch (options.Storage)
        {
            case "sqlite":
                var sqlite = new SqliteDatabase(options.ConnectionString);
                services.AddSingleton(sqlite);
                services.AddSingleton<ISubscriptionStore, SqliteSubscriptionStore>();
                services.AddSingleton<IEventLog, SqliteEventLog>();
                services.AddSingleton<ILogPartitions, SingleNodePartitions>();
                services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
                services.AddSingleton<IDiscoveryStore, SqliteDiscoveryStore>();
                services.AddSingleton<ISourceStore, SqliteSourceStore>();
                services.AddHostedService(_ => new StoreInitializer(sqlite.MigrateAsync));
                break;
            case "postgres":
                var postgres = new PostgresDatabase(options.ConnectionString);
                services.AddSingleton(postgres);
                services.AddSingleton<ISubscriptionStore, PostgresSubscriptionStore>();
                services.AddSingleton<AppendSignals>();
                services.AddSingleton<StoreChanges>();
                services.AddSingleton(provider => ActivatorUtilities.CreateInstance<PartitionLeases>(provider, options.NodeName));
                services.AddSingleton<ILogPartitions>(provider => provider.GetRequiredService<PartitionLeases>());
                services.AddSingleton<IEventLog, PostgresEventLog>();
                services.AddSingleton<IDeliveryStore, PostgresDeliveryStore>();
                services.AddSingleton<IDiscoveryStore, PostgresDiscoveryStore>();
                services.AddSingleton<ISourceStore, PostgresSourceStore>();
                services.AddHostedService(_ => new StoreInitializer(postgres.MigrateAsync));
                services.AddHostedService(provider => provider.GetRequiredService<PartitionLeases>());
                services.AddHostedService<StoreChangeSync>();
                break;
            default:
                throw new ConfigurationException($"Gateway:Storage must be 'sqlite' or 'postgres', not '{options.Storage}'.");
        }
    }

    private static void AddServices(IServiceCollection services, GatewayOptions options)
    {
        services.AddProblemDetails();
        services.AddSingleton(options);
        services.AddGatewaySecurity(options.Auth);
        services.AddIngressRateLimits(options.Ingress);
        services.AddSingleton(TimeProvider.System);
        AddStorage(services, options);
        services.AddSingleton<OriginPauses>();
        services.AddSingleton<RetryStoreWriter>();
        services.AddSingleton(options.Delivery);
        services.AddSingleton(options.Ingress);
        services.AddSingleton<DeliveryContext>();
        // The protocols, one registration each; the Subscriptions API and Discovery know those registered. Every
        // protocol's sinks, dead-letter destinations and sources connect through one guard (addresses and TLS trust).
        var guard = options.OutboundGuard;
        services.AddHttpProtocol(options.HttpDelivery)
            .AddOpenWhiskProtocol(options.HttpDelivery)
            .AddNatsProtocol(guard)
            .AddMqttProtocols(guard, options.NodeName)
            .AddKafkaProtocol(options.KafkaLibraryPath, guard);
        services.AddSingleton(new OpenWhiskFeedOptions(options.OpenWhiskFeedSecret));
        services.AddSingleton<ProtocolRegistry>();
        services.AddSingleton(new FilterCompiler([.. FilterCompiler.RequiredDialects, new CesqlDialect()]));
        services.AddSingleton<SubscriptionValidator>();
        services.AddSingleton<DeliveryEngine>();
        services.AddSingleton<SubscriptionManager>();
        services.AddSingleton(options.Discovery);
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<EventCatalog>();
        services.AddSingleton<DiscoveryView>();
        services.AddHostedService<SubscriptionLoader>();
        services.AddHostedService<DiscoveryInitializer>();
        services.AddHostedService(provider => provider.GetRequiredService<EventCatalog>());
        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<SourceValidator>();
        services.AddSingleton<IEventAppender, EventLogAppender>();
        services.AddSingleton<SourceManager>();
        services.AddHostedService(provider => provider.GetRequiredService<SourceManager>());
        services.AddHostedService<Dispatcher>();
        services.AddTimers();
    }
}
