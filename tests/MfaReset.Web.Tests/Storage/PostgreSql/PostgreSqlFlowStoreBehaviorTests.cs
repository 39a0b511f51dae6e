using MfaReset.Web.Storage;


namespace MfaReset.Web.Tests.Storage.PostgreSql;

/// <summary>The shared store behavior against <see cref="MfaReset.Web.Storage.PostgreSql.PostgreSqlFlowStore"/> on a real server.</summary>
public sealed class PostgreSqlFlowStoreBehaviorTests : FlowStoreBehaviorTests
{
    private readonly TestDatabase _database = new();

    protected override async Task<IFlowStore> CreateStoreAsync() => await _database.CreateStoreAsync(Clock);

    public override async Task DisposeAsync() => await _database.DisposeAsync();
}
