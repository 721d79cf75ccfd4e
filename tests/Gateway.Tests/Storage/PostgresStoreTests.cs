using Gateway.Storage;
using Gateway.Storage.Postgres;
using Gateway.Storage.Secrets;
using Gateway.Subscriptions;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Gateway.Tests.Storage.StoreData;

namespace Gateway.Tests.Storage;

/// <summary>The store contract against the PostgreSQL store: a fresh database per test on the shared server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresFixture postgres) : StoreContract
{
    private string? _connectionString;

    private string ConnectionString => _connectionString ?? throw new InvalidOperationException("the database is created first");

    [Fact]
    public async Task StoredCredentials_SealedOnOneNode_OpenOnAnother_AndAreNotInTheDatabase()
    {
        // The key ring is shared through PostgreSQL, the credential is not readable in the rows.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using PostgresDatabase first = new(connectionString), second = new(connectionString);
        await first.MigrateAsync(Ct);
        StoredSecrets SecretsOf(PostgresDatabase node)
        {
            // Wired as the gateway wires it, one service provider per node.
            var services = new ServiceCollection().AddLogging().AddSingleton(node);
            services.AddStoredSecrets("postgres", connectionString);
            return services.BuildServiceProvider().GetRequiredService<StoredSecrets>();
        }

        var planted = "planted-" + Guid.NewGuid().ToString("N");
        var subscription = Subscription("sub-secret") with
        {
            Credential = new() { CredentialType = "PLAIN", Identifier = "user", Secret = planted },
        };

        await new PostgresSubscriptionStore(first, SecretsOf(first)).AddAsync(subscription, Ct);
        var read = await new PostgresSubscriptionStore(second, SecretsOf(second)).FindAsync("sub-secret", Ct);

        Assert.Equal(planted, read?.Subscription.Credential?.Secret);
        await using var dump = first.DataSource.CreateCommand("SELECT string_agg(data::text, '') FROM mt_doc_subscription");
        var rows = (string)(await dump.ExecuteScalarAsync(Ct))!;
        Assert.DoesNotContain(planted, rows, StringComparison.Ordinal);
        Assert.Contains("dp1:", rows, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_ConcurrentlyFromThreeNodes_AllSucceedOnce()
    {
        // Nodes of one deployment start together against a database none of them has migrated yet.
        var connectionString = await postgres.CreateDatabaseAsync();
        PostgresDatabase[] nodes = [new(connectionString), new(connectionString), new(connectionString)];
        try
        {
            await Task.WhenAll(nodes.Select(node => Task.Run(() => node.MigrateAsync(Ct), Ct)));

            var subscriptions = new PostgresSubscriptionStore(nodes[0], Secrets);
            await subscriptions.AddAsync(Subscription("sub-1"), Ct);
            Assert.NotNull(await new PostgresSubscriptionStore(nodes[2], Secrets).FindAsync("sub-1", Ct));
            await nodes[1].MigrateAsync(Ct);
            Assert.Single(await subscriptions.ListAsync(Ct));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migrate_ADatabaseFromBeforeMarten_KeepsEveryDocumentInItsOrder()
    {
        // What a gateway before the Marten documents left: schema version 2, documents in plain jsonb tables.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var before = NpgsqlDataSource.Create(connectionString))
        {
            await using var command = before.CreateCommand($$"""
                {{PostgresDatabase.Migrations[0]}}
                {{PostgresDatabase.Migrations[1]}}
                CREATE TABLE schema_version (version int NOT NULL);
                INSERT INTO schema_version VALUES (2);
                INSERT INTO subscriptions (id, document, disabled_reason, paused, created_at, state_changed) VALUES
                    ('sub-b', @b, NULL, true, 1, 1000), ('sub-a', @a, 'the sink answered 410 Gone', false, 2, 2000);
                INSERT INTO sources (id, document, state) VALUES ('src-2', '{"id":"src-2","n":2}', 'etag-2'), ('src-1', '{"id":"src-1"}', NULL);
                INSERT INTO services (id, document) VALUES ('svc-1', '{"id":"svc-1","name":"orders","epoch":3}');
                INSERT INTO discovery_self (singleton, id, epoch) VALUES (1, 'self-id', 7);
                INSERT INTO known_event_types VALUES ('com.example.created', 'application/json', NULL, 5000);
                """);
            command.Parameters.AddWithValue("b", NpgsqlTypes.NpgsqlDbType.Jsonb, SubscriptionJson.ToStored(Subscription("sub-b")));
            command.Parameters.AddWithValue("a", NpgsqlTypes.NpgsqlDbType.Jsonb, SubscriptionJson.ToStored(Subscription("sub-a")));
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var database = new PostgresDatabase(connectionString);
        await database.MigrateAsync(Ct);

        var subscriptions = await new PostgresSubscriptionStore(database, Secrets).ListAsync(Ct);
        Assert.Equal(["sub-b", "sub-a"], subscriptions.Select(s => s.Subscription.Id));
        Assert.True(subscriptions[0].Paused);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1000), subscriptions[0].StateChanged);
        Assert.Equal("the sink answered 410 Gone", subscriptions[1].DisabledReason);
        var sources = await new PostgresSourceStore(database).ListAsync(Ct);
        Assert.Equal([("src-2", "etag-2"), ("src-1", null)], sources.Select(s => (s.Id, s.State)));
        var discovery = await new PostgresDiscoveryStore(database).LoadAsync(Ct);
        Assert.Equal(("self-id", 7L), (discovery.SelfId, discovery.SelfEpoch));
        Assert.Equal("orders", Assert.Single(discovery.Services)["name"]!.GetValue<string>());
        Assert.Equal(new KnownEventType("com.example.created", "application/json", null, 5000), Assert.Single(discovery.Events));

        // Added after the upgrade: after the imported ones; and the old tables are gone.
        await new PostgresSubscriptionStore(database, Secrets).AddAsync(Subscription("sub-0"), Ct);
        Assert.Equal("sub-0", (await new PostgresSubscriptionStore(database, Secrets).ListAsync(Ct))[^1].Subscription.Id);
        await using var old = database.DataSource.CreateCommand("SELECT to_regclass('subscriptions') IS NULL AND to_regclass('services') IS NULL;");
        Assert.True((bool)(await old.ExecuteScalarAsync(Ct))!);
    }

    private protected override async ValueTask CreateStorageAsync(CancellationToken cancellationToken) =>
        _connectionString = await postgres.CreateDatabaseAsync();

    private protected override async Task<StoreSet> OpenStoresAsync(CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(ConnectionString);
        try
        {
            await database.MigrateAsync(cancellationToken);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }

        var log = new PostgresEventLog(database, new SingleNodePartitions());
        return new StoreSet(
            new PostgresSubscriptionStore(database, Secrets),
            log,
            new PostgresDeliveryStore(database),
            new PostgresDiscoveryStore(database),
            new PostgresSourceStore(database),
            async () =>
            {
                await log.DisposeAsync();
                await database.DisposeAsync();
            });
    }

    // The databases go with the server at the end of the run.
    private protected override ValueTask DeleteStorageAsync() => ValueTask.CompletedTask;
}
