using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// The verification pause (threat model, "Verification pause and per-person failure counts"): Okta locks an
/// account at its fifth failed code check in a row, so the portal lets at most four reach Okta and then
/// pauses code checks; but a stranger who types wrong codes must not hold the person for long (a push still
/// works, any success ends the pause, so do time and the help desk), and unknown usernames pause alike.
/// </summary>
public sealed class VerificationPauseTests
{
    private const string Login = "ann@example.com";
    private const string Stranger = "198.51.100.66";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public VerificationPauseTests() => _h.Okta.AddUser(Login, kinds: [FactorKind.OktaVerifyTotp, FactorKind.OktaVerifyPush]);

    private Microsoft.Extensions.Options.IOptions<Web.Options.ResetOptions> Options => Microsoft.Extensions.Options.Options.Create(_h.Options);

    private int VerifyCalls => _h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync));

    // ---- (b) a stranger cannot drive Okta's counter to a lockout ----------------------------------------

    [Fact]
    public async Task FourWrongCodesAcrossFlowsAndWindowsPauseCodeChecksBeforeAFifthReachesOkta()
    {
        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.FlowFrom(Stranger), Login, 1);
        _h.Clock.Advance(TimeSpan.FromMinutes(30));

        var fifth = await CodeAsync(_h.FlowFrom("192.0.2.10"), Login, "000001");

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(fifth).Problem);
        Assert.Equal(4, VerifyCalls);
        Assert.Contains(_h.Logs.OfEvent(1006), r => r.Value("Limit") == "consecutive-failures");
    }

    [Fact]
    public async Task APauseThatEndedByTimeLetsOnlyFourMoreChecksReachOkta()
    {
        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);
        _h.Clock.Advance(_h.Options.Limits.PauseDuration - TimeSpan.FromMinutes(16));

        await WrongCodesAsync(_h.FlowFrom(Stranger), Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.FlowFrom(Stranger), Login, 1);

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, Login, "000009")).Problem);
        Assert.Equal(8, VerifyCalls);
    }

    // ---- (a) the person can still finish, and any success ends the pause --------------------------------

    [Fact]
    public async Task AfterAStrangersWrongCodesThePersonFinishesWithAnApprovedPushAndCodesWorkAgain()
    {
        var stranger = _h.FlowFrom(Stranger);
        await WrongCodesAsync(stranger, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(stranger, Login, 1);
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(stranger, Login, "000005")).Problem);

        var secret = await _h.ChooseAsync(Login, FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
        _h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());
        var approved = Assert.IsType<PollResult.Status>(await _h.Flow.PollPushAsync(secret, _ct));

        Assert.Equal(PushStatus.Approved, approved.State);
        Assert.NotNull(approved.Verified);
        Assert.IsType<VerifyCodeResult.WrongCode>(await CodeAsync(_h.Flow, Login, "000006"));
        Assert.Equal(5, VerifyCalls);
    }

    [Fact]
    public async Task PushesNobodyApprovedNeitherCountTowardThePauseNorArePaused()
    {
        for (var push = 0; push < 3; push++)
        {
            var secret = await _h.ChooseAsync(Login, FactorKind.OktaVerifyPush);
            Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(secret, _ct));
            _h.Okta.NextPoll.Enqueue(push == 0 ? new FactorVerifyResult.Rejected() : new FactorVerifyResult.TimedOut());
            await _h.Flow.PollPushAsync(secret, _ct);
            _h.Clock.Advance(TimeSpan.FromMinutes(16));
        }

        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);
        var paused = await _h.ChooseAsync(Login, FactorKind.OktaVerifyPush);

        Assert.Equal(4, VerifyCalls);
        Assert.IsType<SendPushResult.Sent>(await _h.Flow.SendPushAsync(paused, _ct));
        Assert.Equal(4, _h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task APauseEndsPauseDurationAfterItsFirstFailure()
    {
        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);
        _h.Clock.Advance(_h.Options.Limits.PauseDuration - TimeSpan.FromMinutes(16) - TimeSpan.FromSeconds(1));
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, Login, "000005")).Problem);

        _h.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.IsType<VerifyCodeResult.Verified>(await CodeAsync(_h.Flow, Login, FakeOktaClient.ValidCode));
        Assert.Equal(5, VerifyCalls);
    }

    [Theory]
    [InlineData(nameof(OktaUser.LastLogin))]
    [InlineData(nameof(OktaUser.PasswordChanged))]
    [InlineData(nameof(OktaUser.StatusChanged))]
    public async Task ASuccessOktaShowsAfterTheLastFailureEndsThePauseAtTheNextStart(string field)
    {
        await PauseAsync(Login);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        ShowSuccessInOkta(field, _h.Clock.GetUtcNow());

        Assert.IsType<VerifyCodeResult.Verified>(await CodeAsync(_h.Flow, Login, FakeOktaClient.ValidCode));
        Assert.Equal(5, VerifyCalls);
    }

    [Fact]
    public async Task ASuccessOktaShowsBeforeTheLastFailureLeavesThePause()
    {
        await WrongCodesAsync(_h.Flow, Login, 3);
        ShowSuccessInOkta(nameof(OktaUser.LastLogin), _h.Clock.GetUtcNow());
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, Login, FakeOktaClient.ValidCode)).Problem);
        Assert.Equal(4, VerifyCalls);
    }

    [Fact]
    public async Task TheHelpDeskLiftsAnAccountsPauseByAnyNameTheAccountWasPausedUnder()
    {
        await PauseAsync(Login);

        var outcome = await LiftAsync("ANN");

        Assert.Equal(PauseLiftOutcome.Lifted, outcome);
        Assert.IsType<VerifyCodeResult.Verified>(await CodeAsync(_h.Flow, Login, FakeOktaClient.ValidCode));
        Assert.Contains(_h.Logs.OfEvent(1030), r => r.Value("Outcome") == nameof(PauseLiftOutcome.Lifted));
    }

    [Fact]
    public async Task TheHelpDeskLiftsAnUnknownUsernamesPauseAndSaysOktaKnowsNoSuchAccount()
    {
        const string Nobody = "nobody@example.com";
        await PauseAsync(Nobody);

        Assert.Equal(PauseLiftOutcome.NoSuchAccount, await LiftAsync(Nobody));

        Assert.IsType<VerifyCodeResult.WrongCode>(await CodeAsync(_h.Flow, Nobody, FakeOktaClient.ValidCode));
    }

    // ---- (c) unknown usernames and decoy methods pause exactly like real ones --------------------------

    [Fact]
    public async Task ARealAccountAnUnknownUsernameAndADecoyMethodWalkTheSameSteps()
    {
        const string Unknown = "nobody@example.com";
        const string PushOnly = "pia@example.com";
        _h.Okta.AddUser(PushOnly, kinds: [FactorKind.OktaVerifyPush]);

        var real = await PauseStepsAsync(Login, "192.0.2.1");
        var unknown = await PauseStepsAsync(Unknown, "192.0.2.2");
        var decoy = await PauseStepsAsync(PushOnly, "192.0.2.3");

        Assert.Equal(["WrongCode", "WrongCode", "WrongCode", "WrongCode", "VerificationPaused", "VerificationPaused"], real);
        Assert.Equal(real, unknown);
        Assert.Equal(real, decoy);
        Assert.Equal(4, VerifyCalls);
    }

    // ---- what counts -------------------------------------------------------------------------------------

    [Fact]
    public async Task ChecksOktaNeverReceivedCountNothingForTheFlowThePersonOrTheClient()
    {
        var secret = await _h.ChooseAsync(Login, FactorKind.OktaVerifyTotp);
        for (var i = 0; i < 6; i++)
        {
            _h.Okta.NextVerify.Enqueue(i % 2 == 0
                ? new FactorVerifyResult.Unavailable(new OktaUnavailable(OktaUnavailableKind.CircuitOpen, RequestMayHaveReachedOkta: false))
                : new FactorVerifyResult.Refused("in-flight cap"));
            Assert.Equal(FlowProblem.Unavailable, Assert.IsType<VerifyCodeResult.Failed>(await _h.Flow.VerifyCodeAsync(secret, "000001", _ct)).Problem);
        }

        Assert.Equal(3, Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step.AttemptsLeft);
        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, Login, "000005")).Problem);
        Assert.Equal(10, VerifyCalls);
    }

    [Fact]
    public async Task ARightCodeOktaCallsReplayedWithoutAnErrorCountsNothing()
    {
        for (var i = 0; i < 5; i++)
        {
            _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.CodeReused(CodeReuse.Replayed, null));
            Assert.IsType<VerifyCodeResult.CodeAlreadyUsed>(await CodeAsync(_h.Flow, Login, "000001"));
            _h.Clock.Advance(TimeSpan.FromMinutes(16));
        }

        await WrongCodesAsync(_h.Flow, Login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 1);
        Assert.Equal(9, VerifyCalls);
    }

    [Fact]
    public async Task ACheckThatMayHaveReachedOktaStaysCounted()
    {
        var secret = await _h.ChooseAsync(Login, FactorKind.OktaVerifyTotp);
        _h.Okta.NextVerify.Enqueue(new FactorVerifyResult.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)));
        await _h.Flow.VerifyCodeAsync(secret, "000001", _ct);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, Login, 3);

        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, Login, FakeOktaClient.ValidCode)).Problem);
    }

    [Fact]
    public async Task OneClientCausesOnlyAFewCountedFailuresAnHourAcrossUsernamesAndSpendsNoOneElsesCount()
    {
        var limit = _h.Options.Limits.CountedFailuresPerClientPerHour;
        var stranger = _h.FlowFrom(Stranger);
        for (var i = 0; i < limit; i++)
        {
            await WrongCodesAsync(stranger, $"user{i}@example.com", 1);
        }

        var refused = await CodeAsync(stranger, Login, "000001");

        Assert.Equal(FlowProblem.NetworkPaused, Assert.IsType<VerifyCodeResult.Failed>(refused).Problem);
        Assert.Equal(0, VerifyCalls);
        Assert.Contains(_h.Logs.OfEvent(1006), r => r.Value("Limit") == "failures-per-client");
        await WrongCodesAsync(_h.Flow, Login, 3);
        Assert.Equal(3, VerifyCalls);
        _h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.IsType<VerifyCodeResult.WrongCode>(await CodeAsync(stranger, "user0@example.com", "000001"));
    }

    [Fact]
    public async Task AnIPv6ClientIsCountedByItsSlash64()
    {
        for (var i = 0; i < _h.Options.Limits.CountedFailuresPerClientPerHour; i++)
        {
            await WrongCodesAsync(_h.FlowFrom($"2001:db8:7:9::{i + 1:x}"), $"user{i}@example.com", 1);
        }

        Assert.Equal(FlowProblem.NetworkPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.FlowFrom("2001:db8:7:9:ffff::1"), Login, "000001")).Problem);
        Assert.IsType<VerifyCodeResult.WrongCode>(await CodeAsync(_h.FlowFrom("2001:db8:7:a::1"), Login, "000001"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /// <summary>Four wrong codes in a row for <paramref name="login"/> (two flows, past the per-person window): paused.</summary>
    private async Task PauseAsync(string login)
    {
        await WrongCodesAsync(_h.Flow, login, 3);
        _h.Clock.Advance(TimeSpan.FromMinutes(16));
        await WrongCodesAsync(_h.Flow, login, 1);
        Assert.Equal(FlowProblem.VerificationPaused, Assert.IsType<VerifyCodeResult.Failed>(await CodeAsync(_h.Flow, login, "000009")).Problem);
    }

    /// <summary>What six code checks for <paramref name="login"/> show, from a client of their own.</summary>
    private async Task<List<string>> PauseStepsAsync(string login, string clientIp)
    {
        var flow = _h.FlowFrom(clientIp);
        var steps = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var secret = await StartWithCodeAsync(flow, login);
            steps.Add(await flow.VerifyCodeAsync(secret, "000001", _ct) switch
            {
                VerifyCodeResult.Failed failed => failed.Problem.ToString(),
                var other => other.GetType().Name,
            });
        }

        return steps;
    }

    private async Task<PauseLiftOutcome> LiftAsync(string username) =>
        await new PauseLift(_h.Okta, new VerificationPause(_h.Store, _h.Clock, Options), Options, new FakeLogger<PauseLift>(_h.Logs))
            .LiftAsync(username, _ct);

    private void ShowSuccessInOkta(string field, DateTimeOffset at)
    {
        var user = _h.Okta.Users[Login];
        _h.Okta.Users[Login] = field switch
        {
            nameof(OktaUser.LastLogin) => user with { LastLogin = at },
            nameof(OktaUser.PasswordChanged) => user with { PasswordChanged = at },
            _ => user with { StatusChanged = at },
        };
    }

    /// <summary><paramref name="count"/> wrong codes in one new flow.</summary>
    private async Task WrongCodesAsync(ResetFlow flow, string login, int count)
    {
        var secret = await StartWithCodeAsync(flow, login);
        for (var i = 0; i < count; i++)
        {
            var result = await flow.VerifyCodeAsync(secret, $"00000{i + 1}", _ct);
            Assert.True(result is VerifyCodeResult.WrongCode or VerifyCodeResult.Failed { Problem: FlowProblem.LimitReached }, $"attempt {i + 1}: {result}");
        }
    }

    private async Task<VerifyCodeResult> CodeAsync(ResetFlow flow, string login, string code) =>
        await flow.VerifyCodeAsync(await StartWithCodeAsync(flow, login), code, _ct);

    /// <summary>A new flow of <paramref name="flow"/>'s client for <paramref name="login"/>, with the authenticator-app code chosen.</summary>
    private async Task<string> StartWithCodeAsync(ResetFlow flow, string login)
    {
        var secret = ((StartResult.Started)await flow.StartAsync(login, null, _ct)).FlowSecret;
        var menu = (MenuResult.Menu)await flow.GetMenuAsync(secret, _ct);
        await flow.ChooseAsync(secret, menu.Options.Single(o => o.Kind == FactorKind.OktaVerifyTotp).Key, _ct);
        return secret;
    }
}
