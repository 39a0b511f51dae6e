using MfaReset.Web.Storage;


namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>The shared store behavior against <see cref="MfaReset.Web.Storage.PostgreSql.PostgreSqlFlowStore"/> on a real server.</summary>
public sealed class PostgreSqlFlowStoreBehaviorTests(PostgreSqlServer postgres) : FlowStoreBehaviorTests
{
    private readonly TestDatabase _database = new(postgres);

    protected override async Task<IFlowStore> CreateStoreAsync() => await _database.CreateStoreAsync(Clock);

    protected override async ValueTask DisposeStoreAsync() => await _database.DisposeAsync();
}
