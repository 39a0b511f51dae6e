using MfaReset.Web.Storage.PostgreSql;
using Npgsql;

namespace MfaReset.LoadTest.Hosting;

/// <summary>
/// A stage's PostgreSQL flow store: a schema of its own on the given server, created the way the portal
/// creates it at start (so the first portal instance finds it ready) and dropped when the stage ends.
/// </summary>
internal sealed class StageStore : IAsyncDisposable
{
    private StageStore(NpgsqlDataSource dataSource, string schema)
    {
        DataSource = dataSource;
        Schema = schema;
    }

    /// <summary>The schema the stage's portals keep their flows, events and leases in.</summary>
    public string Schema { get; }

    /// <summary>The server, for the driver's own readings (table sizes, plans); not the portals' pool.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Creates the schema, points <paramref name="portalSettings"/> at it and adds its removal to <paramref name="owned"/>.</summary>
    public static async Task<StageStore> CreateAsync(
        string connectionString, IDictionary<string, string?> portalSettings, List<IAsyncDisposable> owned, CancellationToken ct)
    {
        // A name per stage, so runs never see each other's rows and an aborted run leaves nothing a later one reads.
        var schema = "loadtest_" + Guid.NewGuid().ToString("N")[..12];
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var stageStore = new StageStore(dataSource, schema);
        owned.Add(stageStore);
        await new FlowStoreSchema(dataSource, schema, TimeProvider.System).EnsureAsync(ct).ConfigureAwait(false);
        portalSettings["FlowStore:Provider"] = "PostgreSql";
        portalSettings["FlowStore:ConnectionString"] = connectionString;
        portalSettings["FlowStore:Schema"] = schema;
        portalSettings["FlowStore:KeysProtectedByPlatform"] = "true"; // a throwaway schema, dropped after the stage
        return stageStore;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var drop = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        finally
        {
            await DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
