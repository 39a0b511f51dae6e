using MfaReset.Web.Options;
using MfaReset.Web.Storage.PostgreSql;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>
/// A schema of its own on the run's <see cref="PostgreSqlServer"/>, so tests run in parallel and leave nothing
/// behind: the schema is dropped on dispose. Each <see cref="NewStore"/> has its own connection pool, as a
/// separate portal instance would.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgreSqlServer _server;
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public TestDatabase(PostgreSqlServer server, int cleanupBatchSize = 500)
    {
        _server = server;
        Options = new FlowStoreOptions
        {
            Provider = FlowStoreProvider.PostgreSql,
            ConnectionString = PostgreSqlServer.ConnectionString,
            Schema = "t_" + Guid.NewGuid().ToString("N"),
            CleanupBatchSize = cleanupBatchSize,
        };
    }

    public FlowStoreOptions Options { get; }

    public string Schema => Options.Schema;

    /// <summary>For inspecting and arranging rows directly.</summary>
    public NpgsqlDataSource Admin => _server.Admin;

    /// <summary>A store over this schema with its own pool; the schema must exist (see <see cref="CreateStoreAsync"/>).</summary>
    public PostgreSqlFlowStore NewStore(FakeTimeProvider clock)
    {
        var dataSource = PostgreSqlServer.NewDataSource();
        _dataSources.Add(dataSource);
        return new(dataSource, Options, clock);
    }

    /// <summary>A store over this schema, after creating the schema.</summary>
    public async Task<PostgreSqlFlowStore> CreateStoreAsync(FakeTimeProvider clock)
    {
        var store = NewStore(clock);
        await store.Schema.EnsureAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var command = Admin.CreateCommand($"SELECT count(*) FROM \"{Schema}\".{table}");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public Task ExecuteAsync(string sql, params NpgsqlParameter[] parameters) =>
        RunAsync(sql, parameters, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Not the test's token: a cancelled test still leaves nothing behind.
        await RunAsync("DROP SCHEMA IF EXISTS {schema} CASCADE", [], CancellationToken.None);
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    private async Task RunAsync(string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = Admin.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\"", StringComparison.Ordinal));
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}
