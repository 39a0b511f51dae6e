using MfaReset.Web.Options;
using MfaReset.Web.Storage.PostgreSql;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>
/// A schema of its own in the test server named by <c>MFARESET_TEST_POSTGRES</c> (./test.sh starts the
/// server and sets it), so tests run in parallel and leave nothing behind: the schema is dropped on dispose.
/// Each <see cref="NewStore"/> has its own connection pool, as a separate portal instance would.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "MFARESET_TEST_POSTGRES";

    private readonly List<NpgsqlDataSource> _dataSources = [];

    public TestDatabase(int cleanupBatchSize = 500)
    {
        Options = new FlowStoreOptions
        {
            Provider = FlowStoreProvider.PostgreSql,
            ConnectionString = ConnectionString,
            Schema = "t_" + Guid.NewGuid().ToString("N"),
            CleanupBatchSize = cleanupBatchSize,
        };
        Admin = NewDataSource();
    }

    /// <summary>The test server's connection string; fails the test, with what to do, when it is not set.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run ./test.sh, which starts a local PostgreSQL and sets it, or set it to an Npgsql connection string of a server where the tests may create schemas.");

    public FlowStoreOptions Options { get; }

    public string Schema => Options.Schema;

    /// <summary>For inspecting and arranging rows directly.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>A store over this schema with its own pool; the schema must exist (see <see cref="CreateStoreAsync"/>).</summary>
    public PostgreSqlFlowStore NewStore(FakeTimeProvider clock) => new(NewDataSource(), Options, clock);

    /// <summary>A store over this schema, after creating the schema.</summary>
    public async Task<PostgreSqlFlowStore> CreateStoreAsync(FakeTimeProvider clock)
    {
        var store = NewStore(clock);
        await store.Schema.EnsureAsync(CancellationToken.None);
        return store;
    }

    public async Task<long> CountAsync(string table)
    {
        await using var command = Admin.CreateCommand($"SELECT count(*) FROM \"{Schema}\".{table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = Admin.CreateCommand(sql.Replace("{schema}", $"\"{Schema}\"", StringComparison.Ordinal));
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync("DROP SCHEMA IF EXISTS {schema} CASCADE");
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    private NpgsqlDataSource NewDataSource()
    {
        // Enough connections for the concurrency tests, few enough for parallel test classes.
        var dataSource = new NpgsqlDataSourceBuilder(ConnectionString) { ConnectionStringBuilder = { MaxPoolSize = 20 } }.Build();
        _dataSources.Add(dataSource);
        return dataSource;
    }
}
