using Gateway.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Gateway.Storage.Secrets;

/// <summary>
/// Where the keys that seal stored credentials live: beside the SQLite file in
/// <c>gateway-keys/</c>, or in PostgreSQL with the documents, shared by every node. Never in the same rows as the
/// credentials they seal.
/// </summary>
internal static class SecretKeys
{
    public static void AddStoredSecrets(this IServiceCollection services, string storage, string connectionString)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("cloudevents-gateway");
        if (storage == "postgres")
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
                keys => keys.XmlRepository = new PostgresKeyRepository(provider.GetRequiredService<PostgresDatabase>().DataSource)));
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(SqliteKeyDirectory(connectionString)));
        }

        services.AddSingleton<StoredSecrets>();
    }

    private static string SqliteKeyDirectory(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(file) ? "gateway.db" : file))!;
        return Path.Combine(directory, "gateway-keys");
    }
}
