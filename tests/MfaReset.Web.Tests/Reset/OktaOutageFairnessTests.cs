using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// Okta failing or hanging at the username step: the outage page never depends on whether the account
/// exists, and one request's Okta calls together never outlast <c>Okta:TotalBudget</c>.
/// </summary>
public sealed class OktaOutageFairnessTests
{
    private const string Real = "ann@example.com";
    private const string Unknown = "nobody@example.com";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private FlowHarness _h = new();

    public OktaOutageFairnessTests() => _h.Okta.AddUser(Real, kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);

    public static TheoryData<string> FactorListFailures => ["server-error", "service-unavailable", "timeout", "connection-reset", "throttled", "malformed"];

    private static OktaResult<IReadOnlyList<OktaFactor>> Failure(string kind) => kind switch
    {
        "server-error" => new OktaResult<IReadOnlyList<OktaFactor>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.ServerError, true, 500)),
        "service-unavailable" => new OktaResult<IReadOnlyList<OktaFactor>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.ServerError, true, 503)),
        "timeout" => new OktaResult<IReadOnlyList<OktaFactor>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, true)),
        "connection-reset" => new OktaResult<IReadOnlyList<OktaFactor>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.ConnectionFailed, true)),
        "throttled" => new OktaResult<IReadOnlyList<OktaFactor>>.Throttled(FakeOktaClient.Error(429, "E0000047")),
        _ => new OktaResult<IReadOnlyList<OktaFactor>>.Failed(new OktaError(200, null, null, null, [], null)),
    };

    [Theory]
    [MemberData(nameof(FactorListFailures))]
    public async Task WhenOnlyTheFactorListFailsARealAccountSeesWhatAnUnknownOneSees(string failure)
    {
        var unknownMenu = await MenuOfAsync(Unknown);
        _h.Okta.NextListFactors.Enqueue(Failure(failure));

        var realMenu = await MenuOfAsync(Real);

        Assert.Equal(unknownMenu, realMenu);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ListFactorsAsync)));
    }

    [Theory]
    [MemberData(nameof(FactorListFailures))]
    public async Task AfterAFactorListFailureEveryUsernameSeesTheOutagePageUntilTheHoldEnds(string failure)
    {
        _h.Okta.NextListFactors.Enqueue(Failure(failure));
        await _h.StartAsync(Real);
        var callsAfterFailure = _h.Okta.Calls.Count;

        var unknown = await _h.Flow.StartAsync(Unknown, null, _ct);
        var real = await _h.Flow.StartAsync(Real, null, _ct);
        _h.Clock.Advance(_h.Options.OktaOutageHold);
        var unknownLater = await _h.Flow.StartAsync(Unknown, null, _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(unknown).Problem);
        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(real).Problem);
        Assert.Equal(callsAfterFailure + 1, _h.Okta.Calls.Count); // only the lookup after the hold
        Assert.IsType<StartResult.Started>(unknownLater);
    }

    private static readonly OktaUnavailable InFlightCapFull = new(OktaUnavailableKind.InFlightLimit, RequestMayHaveReachedOkta: false);

    [Theory]
    [InlineData(Real)]
    [InlineData(Unknown)]
    public async Task ALookupThePortalsOwnInFlightCapRefusedShowsBusyAndStartsNoOutageHold(string username)
    {
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Unavailable(InFlightCapFull));

        var refused = await _h.Flow.StartAsync(username, null, _ct);
        var next = await _h.Flow.StartAsync(Unknown, null, _ct);

        Assert.Equal(FlowProblem.Busy, Assert.IsType<StartResult.Failed>(refused).Problem);
        Assert.False(_h.Health.IsDegraded);
        Assert.IsType<StartResult.Started>(next);
    }

    [Fact]
    public async Task AFactorListThePortalsOwnInFlightCapRefusedShowsTheDecoyMenuAndStartsNoOutageHold()
    {
        var unknownMenu = await MenuOfAsync(Unknown);
        _h.Okta.NextListFactors.Enqueue(new OktaResult<IReadOnlyList<OktaFactor>>.Unavailable(InFlightCapFull));

        var realMenu = await MenuOfAsync(Real);
        var next = await _h.Flow.StartAsync(Real, null, _ct);

        Assert.Equal(unknownMenu, realMenu);
        Assert.False(_h.Health.IsDegraded);
        Assert.IsType<StartResult.Started>(next);
    }

    [Fact]
    public async Task AUserAnswerTheClientCouldNotValidateShowsTheOutagePageToEveryone()
    {
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Failed(new OktaError(200, null, null, null, [], null)));

        var result = await _h.Flow.StartAsync(Real, null, _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(result).Problem);
        Assert.True(_h.Health.IsDegraded);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.ListFactorsAsync)));
    }

    [Fact]
    public async Task AHangingOktaEndsTheUsernameStepAtTheTotalBudgetNotLater()
    {
        OneRequest();
        _h.Okta.BeforeRead = (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, _h.Clock, ct);

        var start = _h.Flow.StartAsync(Real, null, _ct);
        await Eventually.TrueAsync(() => _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync)) == 1, "the user is looked up");
        _h.Clock.Advance(FlowHarness.OktaTotalBudget - TimeSpan.FromMilliseconds(1));
        var doneBeforeTheBudget = start.IsCompleted;
        _h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await start.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(doneBeforeTheBudget);
        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task ASlowLookupAndAHangingFactorListTogetherStopAtTheTotalBudget()
    {
        OneRequest();
        _h.Okta.BeforeRead = (operation, ct) => operation == nameof(IOktaClient.GetUserAsync)
            ? Task.Delay(TimeSpan.FromSeconds(12), _h.Clock, ct)
            : Task.Delay(Timeout.InfiniteTimeSpan, _h.Clock, ct);

        var start = _h.Flow.StartAsync(Real, null, _ct);
        await Eventually.TrueAsync(() => _h.Okta.CountOf(nameof(IOktaClient.GetUserAsync)) == 1, "the user is looked up");
        _h.Clock.Advance(TimeSpan.FromSeconds(12));
        await Eventually.TrueAsync(() => _h.Okta.CountOf(nameof(IOktaClient.ListFactorsAsync)) == 1, "the factor list is asked for");
        _h.Clock.Advance(FlowHarness.OktaTotalBudget - TimeSpan.FromSeconds(12) - TimeSpan.FromMilliseconds(1));
        var doneBeforeTheBudget = start.IsCompleted;
        _h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await start.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.False(doneBeforeTheBudget);
        Assert.IsType<StartResult.Started>(result); // the decoy menu, as for an unknown account
        Assert.True(_h.Health.IsDegraded);
    }

    /// <summary>The flow as one request of the portal: its Okta calls share one budget.</summary>
    private void OneRequest()
    {
        _h = new FlowHarness(oneRequest: true);
        _h.Okta.AddUser(Real, kinds: [FactorKind.Sms, FactorKind.OktaVerifyTotp]);
    }

    private async Task<IReadOnlyList<FactorOption>> MenuOfAsync(string username) =>
        Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(await _h.StartAsync(username), _ct)).Options;
}
