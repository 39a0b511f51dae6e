using MfaReset.Testing;
using MfaReset.Web.Flow;

namespace MfaReset.Web.Tests.Flow;

public sealed class InMemoryFlowStoreTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly InMemoryFlowStore _store;
    private readonly CancellationToken _ct = CancellationToken.None;

    public InMemoryFlowStoreTests() => _store = new InMemoryFlowStore(_clock);

    private FlowState NewFlow(string key = "k1") => new()
    {
        Key = key,
        Stage = FlowStage.Identified,
        CreatedAt = _clock.GetUtcNow(),
        ExpiresAt = _clock.GetUtcNow().AddMinutes(15),
        LastActivityAt = _clock.GetUtcNow(),
        SubjectKey = "user:1",
        Factors = [],
    };

    private DateTimeOffset In(int minutes) => _clock.GetUtcNow().AddMinutes(minutes);

    [Fact]
    public async Task CompareAndSetFailsForAStaleVersion()
    {
        await _store.TryAddAsync(NewFlow(), In(30), _ct);
        var read = (await _store.GetAsync("k1", _ct))!;

        var first = await _store.TryReplaceAsync(read, read with { CodeAttempts = 1 }, In(30), _ct);
        var stale = await _store.TryReplaceAsync(read, read with { CodeAttempts = 5 }, In(30), _ct);

        Assert.Equal(2, first!.Version);
        Assert.Null(stale);
        Assert.Equal(1, (await _store.GetAsync("k1", _ct))!.CodeAttempts);
    }

    [Fact]
    public async Task OfManyConcurrentWritersExactlyOneWins()
    {
        await _store.TryAddAsync(NewFlow(), In(30), _ct);
        var read = (await _store.GetAsync("k1", _ct))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => _store.TryReplaceAsync(read, read with { TokenState = TokenState.InProgress, PasswordAttempts = i }, In(30), _ct))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task MovingToANewKeyRetiresTheOldOne()
    {
        await _store.TryAddAsync(NewFlow(), In(30), _ct);
        var read = (await _store.GetAsync("k1", _ct))!;

        var moved = await _store.TryReplaceAsync(read, read with { Key = "k2", Stage = FlowStage.Verified }, In(30), _ct);

        Assert.NotNull(moved);
        Assert.Null(await _store.GetAsync("k1", _ct));
        Assert.Equal(FlowStage.Verified, (await _store.GetAsync("k2", _ct))!.Stage);
        Assert.Null(await _store.TryReplaceAsync(read, read with { Key = "k3" }, In(30), _ct));
    }

    [Fact]
    public async Task EntriesVanishAfterTheirRetention()
    {
        await _store.TryAddAsync(NewFlow(), In(30), _ct);

        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Null(await _store.GetAsync("k1", _ct));
        Assert.True(await _store.TryAddAsync(NewFlow(), In(30), _ct));
    }

    [Fact]
    public async Task AddingAnExistingKeyFails()
    {
        Assert.True(await _store.TryAddAsync(NewFlow(), In(30), _ct));
        Assert.False(await _store.TryAddAsync(NewFlow(), In(30), _ct));
    }

    [Fact]
    public async Task EventsAreCountedInRollingWindows()
    {
        RateRule[] rules = [new(2, TimeSpan.FromMinutes(15)), new(3, TimeSpan.FromDays(1))];

        Assert.True(await _store.TryRecordEventAsync("c", rules, _ct));
        Assert.True(await _store.TryRecordEventAsync("c", rules, _ct));
        Assert.False(await _store.TryRecordEventAsync("c", rules, _ct));
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await _store.TryRecordEventAsync("c", rules, _ct));
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(await _store.TryRecordEventAsync("c", rules, _ct)); // the daily rule
        Assert.True(await _store.TryRecordEventAsync("other", rules, _ct));
    }

    [Fact]
    public async Task ConcurrentEventsNeverExceedTheLimit()
    {
        RateRule[] rules = [new(4, TimeSpan.FromMinutes(15))];

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => _store.TryRecordEventAsync("c", rules, _ct))));

        Assert.Equal(4, results.Count(r => r));
    }

    [Fact]
    public async Task LeaseIsExclusiveUntilReleasedOrExpired()
    {
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), _ct));
        Assert.False(await _store.TryAcquireLeaseAsync("l", "b", TimeSpan.FromSeconds(60), _ct));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), _ct));
        await _store.ReleaseLeaseAsync("l", "b", _ct);
        Assert.Equal("a", await _store.GetLeaseHolderAsync("l", _ct));
        await _store.ReleaseLeaseAsync("l", "a", _ct);
        Assert.True(await _store.TryAcquireLeaseAsync("l", "b", TimeSpan.FromSeconds(60), _ct));
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(await _store.GetLeaseHolderAsync("l", _ct));
        Assert.True(await _store.TryAcquireLeaseAsync("l", "c", TimeSpan.FromSeconds(60), _ct));
    }
}
