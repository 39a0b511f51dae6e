using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MfaReset.Web.Tests.Storage;

/// <summary>
/// What every <see cref="IFlowStore"/> must do, run against each implementation by a derived class,
/// so the in-memory store and the shared one are held to the same assertions.
/// </summary>
public abstract class FlowStoreBehaviorTests : IAsyncLifetime
{
    protected FakeTimeProvider Clock { get; } = new(TestClock.DefaultStart);

    protected IFlowStore Store { get; private set; } = default!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store on <see cref="Clock"/>, empty.</summary>
    protected abstract Task<IFlowStore> CreateStoreAsync();

    public async ValueTask InitializeAsync() => Store = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the store holds outside the process (a test schema); nothing by default.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    protected FlowState NewFlow(string key = "k1") => new()
    {
        Key = key,
        Stage = FlowStage.Identified,
        CreatedAt = Clock.GetUtcNow(),
        ExpiresAt = Clock.GetUtcNow().AddMinutes(15),
        LastActivityAt = Clock.GetUtcNow(),
        SubjectKey = "user:1",
        Factors = [],
    };

    protected DateTimeOffset In(int minutes) => Clock.GetUtcNow().AddMinutes(minutes);

    /// <summary>
    /// Many reads at once before a race: a store with a connection pool has it full afterwards, so the
    /// racers really overlap instead of queueing behind connection set-up.
    /// </summary>
    protected async Task WarmUpAsync() =>
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => Store.GetAsync("warm-up", Ct))));

    /// <summary>A flow stored and read back: the version the store gave it.</summary>
    protected async Task<FlowState> AddAndReadAsync(string key = "k1")
    {
        Assert.True(await Store.TryAddAsync(NewFlow(key), In(30), Ct));
        return (await Store.GetAsync(key, Ct))!;
    }

    [Fact]
    public async Task CensusCountsFlowsUnderWayAndPendingPushesOnly()
    {
        var now = Clock.GetUtcNow();
        PushState Push(PushStatus status, int expiresInMinutes) => new() { SentAt = now, ExpiresAt = now.AddMinutes(expiresInMinutes), Status = status };
        var flows = new[]
        {
            NewFlow("identified"),
            NewFlow("verified") with { Stage = FlowStage.Verified },
            NewFlow("waiting") with { Stage = FlowStage.Challenged, Push = Push(PushStatus.Pending, 5) },
            NewFlow("push-expired") with { Stage = FlowStage.Challenged, Push = Push(PushStatus.Pending, -1) },
            NewFlow("push-approved") with { Stage = FlowStage.Challenged, Push = Push(PushStatus.Approved, 5) },
            NewFlow("changed") with { Stage = FlowStage.PasswordChanged },
            NewFlow("locked") with { Stage = FlowStage.Locked },
            NewFlow("past-lifetime") with { ExpiresAt = now.AddMinutes(-1) },
        };
        foreach (var flow in flows)
        {
            Assert.True(await Store.TryAddAsync(flow, In(30), Ct));
        }

        Assert.Equal(new FlowCensus(Live: 5, PushesWaiting: 1), await Store.CountAsync(now, Ct));
        Assert.Equal(new FlowCensus(Live: 0, PushesWaiting: 0), await Store.CountAsync(now.AddMinutes(20), Ct));
    }

    [Fact]
    public async Task AddedFlowReadsBackWithVersionOne()
    {
        var read = await AddAndReadAsync();

        Assert.Equal(1, read.Version);
        Assert.Equal(FlowStage.Identified, read.Stage);
        Assert.Null(await Store.GetAsync("other", Ct));
    }

    [Fact]
    public async Task EveryFieldSurvivesTheStore()
    {
        var full = NewFlow() with
        {
            Stage = FlowStage.Verified,
            Problem = FlowProblem.AlreadyUsed,
            OktaUserId = "00u1",
            WasLockedOut = true,
            AfterVerification = AfterVerification.HelpDesk,
            OktaPasswordChanged = In(-60).AddMilliseconds(344),
            OktaUserETag = new("\"1234567890abcdef\"", IsWeak: true),
            Factors = [new("sms", FactorKind.Sms, "Text message", "sms1"), new("push", FactorKind.OktaVerifyPush, "Push", null)],
            Chosen = new("sms", FactorKind.Sms, "Text message", "sms1"),
            CodeSentAt = In(1),
            CodeSentFor = "sms",
            PhoneBusyUntil = In(5),
            PublicId = "0123456789abcdef01234567",
            PersonalWords = ["alice", "example", "smith"],
            FirstVerifiedChoice = "push",
            Push = new PushState { PollHandle = "https://example.okta.com/api/v1/users/00u1/factors/sms1/transactions/v2mst1", Number = 42, SentAt = In(2), ExpiresAt = In(7), Status = PushStatus.Approved, LastPolledAt = In(3), BackoffUntil = In(4) },
            CodeAttempts = 2,
            Sends = 3,
            Pushes = 1,
            TokenHash = [1, 2, 3, 255],
            TokenExpiresAt = In(10),
            TokenState = TokenState.InProgress,
            PasswordAttempts = 4,
        };

        Assert.True(await Store.TryAddAsync(full, In(30), Ct));

        Assert.Equivalent(full with { Version = 1 }, await Store.GetAsync("k1", Ct), strict: true);
    }

    [Fact]
    public async Task AddingAnExistingKeyFails()
    {
        Assert.True(await Store.TryAddAsync(NewFlow(), In(30), Ct));
        Assert.False(await Store.TryAddAsync(NewFlow() with { Stage = FlowStage.Failed }, In(30), Ct));
        Assert.Equal(FlowStage.Identified, (await Store.GetAsync("k1", Ct))!.Stage);
    }

    [Fact]
    public async Task CompareAndSetFailsForAStaleVersion()
    {
        var read = await AddAndReadAsync();

        var first = await Store.TryReplaceAsync(read, read with { CodeAttempts = 1 }, In(30), Ct);
        var stale = await Store.TryReplaceAsync(read, read with { CodeAttempts = 5 }, In(30), Ct);

        Assert.Equal(2, first!.Version);
        Assert.Equal(1, first.CodeAttempts);
        Assert.Null(stale);
        var stored = (await Store.GetAsync("k1", Ct))!;
        Assert.Equal((2, 1), (stored.Version, stored.CodeAttempts));
    }

    [Fact]
    public async Task OfManyConcurrentWritersExactlyOneWins()
    {
        var read = await AddAndReadAsync();
        await WarmUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Store.TryReplaceAsync(read, read with { TokenState = TokenState.InProgress, PasswordAttempts = i }, In(30), Ct))));

        var winner = Assert.Single(results, r => r is not null)!;
        Assert.Equal(winner.PasswordAttempts, (await Store.GetAsync("k1", Ct))!.PasswordAttempts);
    }

    [Fact]
    public async Task ATokenIsConsumedOnlyOnce()
    {
        var verified = await Store.TryReplaceAsync(await AddAndReadAsync(), NewFlow() with { TokenState = TokenState.Unused }, In(30), Ct);
        var consume = (FlowState seen) => Store.TryReplaceAsync(seen, seen with { TokenState = TokenState.InProgress }, In(30), Ct);

        var first = await consume(verified!);
        var again = await consume(verified!);
        var used = await Store.TryReplaceAsync(first!, first! with { TokenState = TokenState.Used }, In(30), Ct);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.Equal(TokenState.Used, (await Store.GetAsync("k1", Ct))!.TokenState);
        Assert.Equal(4, used!.Version);
    }

    [Fact]
    public async Task MovingToANewKeyRetiresTheOldOne()
    {
        var read = await AddAndReadAsync();

        var moved = await Store.TryReplaceAsync(read, read with { Key = "k2", Stage = FlowStage.Verified }, In(30), Ct);

        Assert.Equal(2, moved!.Version);
        Assert.Null(await Store.GetAsync("k1", Ct));
        var stored = (await Store.GetAsync("k2", Ct))!;
        Assert.Equal((FlowStage.Verified, 2L), (stored.Stage, stored.Version));
        Assert.Null(await Store.TryReplaceAsync(read, read with { Key = "k3" }, In(30), Ct));
        Assert.Null(await Store.GetAsync("k3", Ct));
    }

    [Fact]
    public async Task OfManyConcurrentMovesExactlyOneWins()
    {
        var read = await AddAndReadAsync();
        await WarmUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Store.TryReplaceAsync(read, read with { Key = $"moved{i}" }, In(30), Ct))));

        var winner = Assert.Single(results, r => r is not null)!;
        foreach (var i in Enumerable.Range(0, 16))
        {
            Assert.Equal($"moved{i}" == winner.Key, await Store.GetAsync($"moved{i}", Ct) is not null);
        }
    }

    [Fact]
    public async Task RemovedFlowIsGone()
    {
        var read = await AddAndReadAsync();

        await Store.RemoveAsync("k1", Ct);
        await Store.RemoveAsync("never-there", Ct);

        Assert.Null(await Store.GetAsync("k1", Ct));
        Assert.Null(await Store.TryReplaceAsync(read, read with { Sends = 1 }, In(30), Ct));
    }

    [Fact]
    public async Task EntriesVanishAfterTheirRetention()
    {
        Assert.True(await Store.TryAddAsync(NewFlow(), In(30), Ct));

        Clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        var justBefore = await Store.GetAsync("k1", Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(justBefore);
        Assert.Null(await Store.GetAsync("k1", Ct));
        Assert.True(await Store.TryAddAsync(NewFlow() with { Sends = 2 }, In(30), Ct));
        var fresh = (await Store.GetAsync("k1", Ct))!;
        Assert.Equal((1L, 2), (fresh.Version, fresh.Sends));
    }

    [Fact]
    public async Task AnExpiredFlowCannotBeReplacedOrMoved()
    {
        var read = await AddAndReadAsync();

        Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Null(await Store.TryReplaceAsync(read, read with { Sends = 1 }, In(30), Ct));
        Assert.Null(await Store.TryReplaceAsync(read, read with { Key = "k2" }, In(30), Ct));
        Assert.Null(await Store.GetAsync("k2", Ct));
    }

    [Fact]
    public async Task ReplacingExtendsTheRetention()
    {
        var read = await AddAndReadAsync();
        Clock.Advance(TimeSpan.FromMinutes(20));

        await Store.TryReplaceAsync(read, read with { Sends = 1 }, In(30), Ct);
        Clock.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1, (await Store.GetAsync("k1", Ct))!.Sends);
    }

    [Fact]
    public async Task EventsAreCountedInRollingWindows()
    {
        RateRule[] rules = [new(2, TimeSpan.FromMinutes(15)), new(3, TimeSpan.FromDays(1))];

        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct));
        Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct)); // the daily rule
        Assert.True(await Store.TryRecordEventAsync("other", rules, Ct));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
    }

    [Fact]
    public async Task ARefusedEventIsNotCounted()
    {
        RateRule[] rules = [new(1, TimeSpan.FromMinutes(10))];
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));

        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct));
        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
    }

    [Fact]
    public async Task AForgottenEventFreesItsPlace()
    {
        RateRule[] rules = [new(2, TimeSpan.FromMinutes(10))];
        await Store.ForgetEventAsync("c", Ct); // nothing to forget yet: a no-op
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct));

        await Store.ForgetEventAsync("c", Ct);

        Assert.True(await Store.TryRecordEventAsync("c", rules, Ct));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct));
    }

    [Fact]
    public async Task ConcurrentEventsNeverExceedTheLimit()
    {
        RateRule[] rules = [new(4, TimeSpan.FromMinutes(15))];
        await WarmUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Store.TryRecordEventAsync("c", rules, Ct))));

        Assert.Equal(4, results.Count(r => r));
        Assert.False(await Store.TryRecordEventAsync("c", rules, Ct));
    }

    [Fact]
    public async Task ACounterListRefusedByAnyCounterRecordsNoneAndNamesTheFirstRefusal()
    {
        RateRule[] one = [new(1, TimeSpan.FromMinutes(10))];
        Assert.True(await Store.TryRecordEventAsync("global", one, Ct));

        var refusedBy = await Store.TryRecordEventsAsync([new("person", one), new("global", one)], Ct);

        Assert.Equal(1, refusedBy);
        Assert.True(await Store.TryRecordEventAsync("person", one, Ct)); // the refusal spent none of the person's budget
        Assert.Equal(0, await Store.TryRecordEventsAsync([new("person", one), new("global", one)], Ct)); // both full: the first named
    }

    [Fact]
    public async Task AnAcceptedCounterListCountsOneEventUnderEachCounterAgainstItsOwnRules()
    {
        RateRule[] one = [new(1, TimeSpan.FromMinutes(10))];
        RateRule[] twoPerDay = [new(2, TimeSpan.FromDays(1))];

        Assert.Null(await Store.TryRecordEventsAsync([new("person", one), new("global", twoPerDay)], Ct));

        Assert.False(await Store.TryRecordEventAsync("person", one, Ct));
        Assert.True(await Store.TryRecordEventAsync("global", twoPerDay, Ct));
        Assert.False(await Store.TryRecordEventAsync("global", twoPerDay, Ct));
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await Store.TryRecordEventAsync("person", one, Ct)); // each counter's own window
    }

    [Fact]
    public async Task ForgettingSeveralCountersGivesBackTheNewestEventOfEach()
    {
        RateRule[] two = [new(2, TimeSpan.FromMinutes(10))];
        foreach (var counter in new[] { "a", "a", "b" })
        {
            Assert.True(await Store.TryRecordEventAsync(counter, two, Ct));
        }

        await Store.ForgetEventsAsync(["a", "b", "never-counted"], Ct);

        Assert.True(await Store.TryRecordEventAsync("a", two, Ct));
        Assert.False(await Store.TryRecordEventAsync("a", two, Ct));
        Assert.True(await Store.TryRecordEventAsync("b", two, Ct));
        Assert.True(await Store.TryRecordEventAsync("b", two, Ct));
        Assert.False(await Store.TryRecordEventAsync("b", two, Ct));
    }

    [Fact]
    public async Task ACounterNamedTwiceInOneCallIsRefusedAsAnArgumentError()
    {
        RateRule[] one = [new(1, TimeSpan.FromMinutes(10))];

        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryRecordEventsAsync([new("c", one), new("c", one)], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ForgetEventsAsync(["c", "c"], Ct));
        Assert.True(await Store.TryRecordEventAsync("c", one, Ct)); // nothing was recorded
    }

    [Fact]
    public async Task ConcurrentCounterListsNeverExceedALimitAndRefusedOnesSpendNothing()
    {
        RateRule[] global = [new(4, TimeSpan.FromMinutes(15))];
        RateRule[] person = [new(40, TimeSpan.FromMinutes(15))];
        await WarmUpAsync();

        // Half the lists name the counters in the other order: a store that locked them as listed could deadlock.
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => Store.TryRecordEventsAsync(
            i % 2 == 0 ? [new("person", person), new("global", global)] : [new("global", global), new("person", person)], Ct))));

        Assert.Equal(4, results.Count(r => r is null));
        Assert.All(results.Index().Where(r => r.Item is not null), r => Assert.Equal(r.Index % 2 == 0 ? 1 : 0, r.Item)); // "global" refused, wherever listed
        Assert.False(await Store.TryRecordEventAsync("global", global, Ct));
        var personRoom = 0;
        while (await Store.TryRecordEventAsync("person", person, Ct))
        {
            personRoom++;
        }

        Assert.Equal(40 - 4, personRoom); // only the four accepted lists counted for the person
    }

    [Fact]
    public async Task LeaseIsExclusiveUntilReleasedOrExpired()
    {
        Assert.True(await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct));
        Assert.False(await Store.TryAcquireLeaseAsync("l", "b", TimeSpan.FromSeconds(60), Ct));
        Assert.True(await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct));
        await Store.ReleaseLeaseAsync("l", "b", Ct);
        Assert.Equal("a", await Store.GetLeaseHolderAsync("l", Ct));
        await Store.ReleaseLeaseAsync("l", "a", Ct);
        Assert.Null(await Store.GetLeaseHolderAsync("l", Ct));
        Assert.True(await Store.TryAcquireLeaseAsync("l", "b", TimeSpan.FromSeconds(60), Ct));
        Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(await Store.GetLeaseHolderAsync("l", Ct));
        Assert.True(await Store.TryAcquireLeaseAsync("l", "c", TimeSpan.FromSeconds(60), Ct));
        Assert.Equal("c", await Store.GetLeaseHolderAsync("l", Ct));
    }

    [Fact]
    public async Task RenewingALeaseExtendsIt()
    {
        await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct);
        Clock.Advance(TimeSpan.FromSeconds(50));

        Assert.True(await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct));
        Clock.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal("a", await Store.GetLeaseHolderAsync("l", Ct));
        Assert.False(await Store.TryAcquireLeaseAsync("l", "b", TimeSpan.FromSeconds(60), Ct));
    }

    [Fact]
    public async Task SettingALeaseTakesItOverWhoeverHeldIt()
    {
        await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct);

        await Store.SetLeaseAsync("l", "b", TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("b", await Store.GetLeaseHolderAsync("l", Ct));
        Assert.False(await Store.TryAcquireLeaseAsync("l", "a", TimeSpan.FromSeconds(60), Ct));
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await Store.GetLeaseHolderAsync("l", Ct));
    }

    [Fact]
    public async Task OfManyConcurrentLeaseTakersExactlyOneWins()
    {
        await WarmUpAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Store.TryAcquireLeaseAsync("l", $"holder{i}", TimeSpan.FromSeconds(60), Ct))));

        var winner = Enumerable.Range(0, 16).Single(i => results[i]);
        Assert.Equal($"holder{winner}", await Store.GetLeaseHolderAsync("l", Ct));
    }

    // ---- Writes made together (issue 27: a step's writes in one round trip) --------------------------

    private static readonly RateRule[] TwoPerHour = [new(2, TimeSpan.FromHours(1))];

    [Fact]
    public async Task AReplaceThatWinsMakesItsWritesAlongside()
    {
        var flow = await AddAndReadAsync();
        Assert.True(await Store.TryRecordEventAsync("given-back", TwoPerHour, Ct));
        Assert.True(await Store.TryRecordEventAsync("given-back", TwoPerHour, Ct));
        await Store.SetLeaseAsync("released", "old", TimeSpan.FromMinutes(5), Ct);
        var writes = new StoreWrites
        {
            SetLeases = [new LeaseHold("token", "k2", TimeSpan.FromMinutes(5))],
            ReleaseLeases = [new LeaseRelease("released", "old")],
            ForgetEvents = ["given-back"],
        };

        var moved = await Store.TryReplaceAsync(flow, flow with { Key = "k2", Stage = FlowStage.Verified }, In(30), writes, Ct);

        Assert.Equal(FlowStage.Verified, moved!.Stage);
        Assert.Equal(FlowStage.Verified, (await Store.GetAsync("k2", Ct))!.Stage);
        Assert.Null(await Store.GetAsync("k1", Ct));
        Assert.Equal("k2", await Store.GetLeaseHolderAsync("token", Ct));
        Assert.Null(await Store.GetLeaseHolderAsync("released", Ct));
        Assert.True(await Store.TryRecordEventAsync("given-back", TwoPerHour, Ct)); // one of two was given back
        Assert.False(await Store.TryRecordEventAsync("given-back", TwoPerHour, Ct));
    }

    [Fact]
    public async Task AReplaceThatLosesMakesNoneOfItsWrites()
    {
        var flow = await AddAndReadAsync();
        Assert.True(await Store.TryRecordEventAsync("kept", TwoPerHour, Ct));
        Assert.True(await Store.TryRecordEventAsync("kept", TwoPerHour, Ct));
        await Store.SetLeaseAsync("held", "old", TimeSpan.FromMinutes(5), Ct);
        Assert.NotNull(await Store.TryReplaceAsync(flow, flow with { Stage = FlowStage.Challenged }, In(30), Ct)); // another writer first
        var writes = new StoreWrites
        {
            SetLeases = [new LeaseHold("token", "k1", TimeSpan.FromMinutes(5))],
            ReleaseLeases = [new LeaseRelease("held", null)],
            ForgetEvents = ["kept"],
        };

        Assert.Null(await Store.TryReplaceAsync(flow, flow with { Stage = FlowStage.Verified }, In(30), writes, Ct));
        Assert.Null(await Store.TryReplaceAsync(flow, flow with { Key = "k2" }, In(30), writes, Ct));

        Assert.Equal(FlowStage.Challenged, (await Store.GetAsync("k1", Ct))!.Stage);
        Assert.Null(await Store.GetLeaseHolderAsync("token", Ct));
        Assert.Equal("old", await Store.GetLeaseHolderAsync("held", Ct));
        Assert.False(await Store.TryRecordEventAsync("kept", TwoPerHour, Ct)); // nothing given back
    }

    [Fact]
    public async Task AppliedWritesReleaseALeaseOnlyFromItsHolderUnlessAnyHolderIsAsked()
    {
        await Store.SetLeaseAsync("mine", "me", TimeSpan.FromMinutes(5), Ct);
        await Store.SetLeaseAsync("theirs", "them", TimeSpan.FromMinutes(5), Ct);
        await Store.SetLeaseAsync("anyone", "them", TimeSpan.FromMinutes(5), Ct);

        Assert.True(await Store.ApplyAsync(new StoreWrites
        {
            ReleaseLeases = [new LeaseRelease("mine", "me"), new LeaseRelease("theirs", "me"), new LeaseRelease("anyone", null)],
            SetLeases = [new LeaseHold("new", "me", TimeSpan.FromMinutes(1))],
        }, Ct));

        Assert.Null(await Store.GetLeaseHolderAsync("mine", Ct));
        Assert.Equal("them", await Store.GetLeaseHolderAsync("theirs", Ct));
        Assert.Null(await Store.GetLeaseHolderAsync("anyone", Ct));
        Assert.Equal("me", await Store.GetLeaseHolderAsync("new", Ct));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await Store.GetLeaseHolderAsync("new", Ct)); // set for its own time
    }

    [Fact]
    public async Task WritesNamingALeaseOrACounterTwiceAreRefusedBeforeAnythingIsWritten()
    {
        var flow = await AddAndReadAsync();
        var twice = new StoreWrites { SetLeases = [new LeaseHold("l", "a", TimeSpan.FromMinutes(1))], ReleaseLeases = [new LeaseRelease("l", null)] };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.ApplyAsync(twice, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryReplaceAsync(flow, flow with { Stage = FlowStage.Challenged }, In(30), twice, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ApplyAsync(new StoreWrites { ForgetEvents = ["c", "c"] }, Ct));

        Assert.Equal(flow.Version, (await Store.GetAsync("k1", Ct))!.Version);
        Assert.Null(await Store.GetLeaseHolderAsync("l", Ct));
    }

    [Fact]
    public async Task AWriteThatRequiresALeaseHappensOnlyWhenTheLeaseIsAsRequired()
    {
        var flow = await AddAndReadAsync();
        await Store.SetLeaseAsync("used-code", "other-flow", TimeSpan.FromMinutes(10), Ct);
        await Store.SetLeaseAsync("token", "k1", TimeSpan.FromMinutes(10), Ct);
        StoreWrites Requiring(string key, string? holder) => new()
        {
            Requires = [new LeaseCondition(key, holder)],
            SetLeases = [new LeaseHold("written", "yes", TimeSpan.FromMinutes(1))],
        };

        Assert.Null(await Store.TryReplaceAsync(flow, flow with { Stage = FlowStage.Challenged }, In(30), Requiring("used-code", null), Ct));
        Assert.Null(await Store.TryReplaceAsync(flow, flow with { Key = "k2" }, In(30), Requiring("token", "someone-else"), Ct));
        Assert.False(await Store.ApplyAsync(Requiring("token", "someone-else"), Ct));
        Assert.Equal(flow.Version, (await Store.GetAsync("k1", Ct))!.Version);
        Assert.Null(await Store.GetLeaseHolderAsync("written", Ct));

        Assert.NotNull(await Store.TryReplaceAsync(flow, flow with { Stage = FlowStage.Challenged }, In(30), Requiring("never-taken", null) with
        {
            Requires = [new LeaseCondition("never-taken", null), new LeaseCondition("token", "k1")],
        }, Ct));
        Assert.Equal("yes", await Store.GetLeaseHolderAsync("written", Ct));
        Clock.Advance(TimeSpan.FromMinutes(10));
        var current = (await Store.GetAsync("k1", Ct))!;
        Assert.NotNull(await Store.TryReplaceAsync(current, current with { Stage = FlowStage.Verified }, In(30), Requiring("used-code", null), Ct)); // expired: free
    }

    [Fact]
    public async Task CountersRecordedTogetherMakeTheirWritesOnlyWhenEveryOneFits()
    {
        Assert.True(await Store.TryRecordEventAsync("full", [new RateRule(1, TimeSpan.FromHours(1))], Ct));
        var lastFailure = new StoreWrites { SetLeases = [new LeaseHold("last-failure", "t1", TimeSpan.FromMinutes(5))] };

        var refused = await Store.TryRecordEventsAsync(
            [new CountedEvent("open", TwoPerHour), new CountedEvent("full", [new RateRule(1, TimeSpan.FromHours(1))])], lastFailure, Ct);
        Assert.Equal(1, refused);
        Assert.Null(await Store.GetLeaseHolderAsync("last-failure", Ct));

        Assert.Null(await Store.TryRecordEventsAsync([new CountedEvent("open", TwoPerHour), new CountedEvent("other", TwoPerHour)], lastFailure, Ct));
        Assert.Equal("t1", await Store.GetLeaseHolderAsync("last-failure", Ct));
        Assert.True(await Store.TryRecordEventAsync("open", TwoPerHour, Ct)); // the refused call recorded nothing under "open"
        Assert.False(await Store.TryRecordEventAsync("open", TwoPerHour, Ct));
    }

    [Fact]
    public async Task ARecordWithARead_ReadsTheFlowWhetherOrNotTheEventFits()
    {
        var flow = await AddAndReadAsync();

        var first = await Store.TryRecordEventAndGetAsync("client", TwoPerHour, "k1", Ct);
        var second = await Store.TryRecordEventAndGetAsync("client", TwoPerHour, "no-such-flow", Ct);
        var third = await Store.TryRecordEventAndGetAsync("client", TwoPerHour, "k1", Ct);

        Assert.True(first.Recorded);
        Assert.Equal(flow.Version, first.Flow!.Version);
        Assert.Equal(flow.Key, first.Flow.Key);
        Assert.True(second.Recorded);
        Assert.Null(second.Flow);
        Assert.False(third.Recorded);
        Assert.NotNull(third.Flow);
        Assert.False(await Store.TryRecordEventAsync("client", TwoPerHour, Ct)); // the refused one recorded nothing either
    }
}
