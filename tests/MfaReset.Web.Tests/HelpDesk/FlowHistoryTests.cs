using MfaReset.Testing;
using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using MfaReset.Web.Storage.InMemory;
using MfaReset.Web.Tests.Storage.PostgreSql;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.HelpDesk;

/// <summary>The help desk's questions to the flow store, held to the same assertions in memory and in PostgreSQL.</summary>
public abstract class FlowHistoryTests : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(TestClock.DefaultStart);

    private IFlowStore _store = default!;

    private IFlowHistory History => (IFlowHistory)_store;

    protected abstract Task<IFlowStore> CreateStoreAsync();

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Drops what the store made (a derived class's database schema).</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task APersonsFlowsAreFoundNewestFirstAndOthersAreNot()
    {
        await AddAsync("a", "user:1", minutesAgo: 10);
        await AddAsync("b", "user:1", minutesAgo: 5);
        await AddAsync("c", "user:2", minutesAgo: 1);

        var flows = await History.FlowsOfAsync("user:1", 10, CancellationToken.None);

        Assert.Equal(["b", "a"], flows.Select(f => f.Key));
        Assert.Single(await History.FlowsOfAsync("user:1", 1, CancellationToken.None));
    }

    [Fact]
    public async Task AFlowIsFoundByItsPublicIdWhileRetained()
    {
        var flow = await AddAsync("a", "user:1", minutesAgo: 0);

        Assert.Equal("a", (await History.FlowByPublicIdAsync(flow.PublicId, CancellationToken.None))?.Key);
        Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Null(await History.FlowByPublicIdAsync(flow.PublicId, CancellationToken.None));
    }

    [Fact]
    public async Task ACountersEventTimesAreReadOldestFirst()
    {
        var first = Clock.GetUtcNow();
        Assert.True(await _store.TryRecordEventAsync("sends:user:1", [new RateRule(5, TimeSpan.FromMinutes(15))], CancellationToken.None));
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await _store.TryRecordEventAsync("sends:user:1", [new RateRule(5, TimeSpan.FromMinutes(15))], CancellationToken.None));

        var times = await History.EventTimesAsync("sends:user:1", CancellationToken.None);

        Assert.Equal([first, first.AddMinutes(2)], times.Select(t => t.ToUniversalTime()));
        Assert.Empty(await History.EventTimesAsync("sends:user:2", CancellationToken.None));
    }

    private async Task<FlowState> AddAsync(string key, string subject, int minutesAgo)
    {
        var created = Clock.GetUtcNow().AddMinutes(-minutesAgo);
        var flow = new FlowState
        {
            Key = key,
            PublicId = FlowSecrets.NewPublicId(),
            Stage = FlowStage.Identified,
            CreatedAt = created,
            ExpiresAt = created.AddMinutes(15),
            LastActivityAt = created,
            SubjectKey = subject,
            Factors = [],
        };
        Assert.True(await _store.TryAddAsync(flow, Clock.GetUtcNow().AddMinutes(30), CancellationToken.None));
        return flow;
    }
}

public sealed class InMemoryFlowHistoryTests : FlowHistoryTests
{
    protected override Task<IFlowStore> CreateStoreAsync() => Task.FromResult<IFlowStore>(new InMemoryFlowStore(Clock));
}

public sealed class PostgreSqlFlowHistoryTests(PostgreSqlServer postgres) : FlowHistoryTests
{
    private readonly TestDatabase _database = new(postgres);

    protected override async Task<IFlowStore> CreateStoreAsync() => await _database.CreateStoreAsync(Clock);

    protected override async ValueTask DisposeStoreAsync() => await _database.DisposeAsync();
}
