using MfaReset.Web.Tests.Storage.PostgreSql;
using Npgsql;

[assembly: AssemblyFixture(typeof(PostgreSqlServer))]

namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>
/// The test server named by <c>MFARESET_TEST_POSTGRES</c> (./test.sh starts it and sets it), one for the whole run:
/// every <see cref="TestDatabase"/> creates and drops its schema through this one administrative pool rather than a
/// pool of its own, so parallel test classes hold fewer connections. Opened on first use: a run of tests that never
/// touch PostgreSQL needs no server.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    public const string Variable = "MFARESET_TEST_POSTGRES";

    private readonly Lazy<NpgsqlDataSource> _admin = new(() => NewDataSource());

    /// <summary>The test server's connection string; fails the test, with what to do, when it is not set.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run ./test.sh, which starts a local PostgreSQL and sets it, or set it to an Npgsql connection string of a server where the tests may create schemas.");

    /// <summary>For creating and dropping schemas, inspecting and arranging rows.</summary>
    public NpgsqlDataSource Admin => _admin.Value;

    /// <summary>A pool of its own, as a separate portal instance has: enough connections for the concurrency tests, few enough for parallel test classes.</summary>
    public static NpgsqlDataSource NewDataSource() =>
        new NpgsqlDataSourceBuilder(ConnectionString) { ConnectionStringBuilder = { MaxPoolSize = 20 } }.Build();

    public async ValueTask DisposeAsync()
    {
        if (_admin.IsValueCreated)
        {
            await _admin.Value.DisposeAsync();
        }
    }
}
