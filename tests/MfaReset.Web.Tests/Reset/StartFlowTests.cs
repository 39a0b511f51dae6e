using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

public sealed class StartFlowTests
{
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RealUserGetsTheGenericMenuInAppFirstOrder()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms, FactorKind.OktaVerifyPush]);

        var secret = await _h.StartAsync("ann@example.com");
        var menu = Assert.IsType<MenuResult.Menu>(await _h.Flow.GetMenuAsync(secret, _ct));

        Assert.Equal(
            [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp, FactorKind.GoogleAuthenticator, FactorKind.Sms, FactorKind.Call],
            menu.Options.Select(o => o.Kind));
        Assert.Equal(["push", "okta-code", "google-code", "sms", "call"], menu.Options.Select(o => o.Key));
        Assert.Equal([nameof(IOktaClient.GetUserAsync), nameof(IOktaClient.ListFactorsAsync)], _h.Okta.Calls);
    }

    [Fact]
    public async Task UnknownUserGetsTheSameMenuWithoutAFactorLookup()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        var real = (MenuResult.Menu)await _h.Flow.GetMenuAsync(await _h.StartAsync("ann@example.com"), _ct);

        var unknown = (MenuResult.Menu)await _h.Flow.GetMenuAsync(await _h.StartAsync("nobody@example.com"), _ct);

        Assert.Equal(real.Options, unknown.Options);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ListFactorsAsync)));
    }

    [Theory]
    [InlineData(OktaUserStatus.Suspended)]
    [InlineData(OktaUserStatus.Deprovisioned)]
    [InlineData(OktaUserStatus.Staged)]
    [InlineData(OktaUserStatus.Provisioned)]
    public async Task IneligibleUserIsTreatedAsUnknownAndNothingIsSent(OktaUserStatus status)
    {
        _h.Okta.AddUser("sue@example.com", status, kinds: [FactorKind.Sms]);

        var secret = await _h.ChooseAsync("sue@example.com", FactorKind.Sms);
        var sent = await _h.Flow.SendCodeAsync(secret, _ct);
        var verify = await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.IsType<SendCodeResult.Sent>(sent);
        Assert.IsType<VerifyCodeResult.WrongCode>(verify);
        Assert.Equal([nameof(IOktaClient.GetUserAsync)], _h.Okta.Calls);
    }

    [Fact]
    public async Task OktaOutageAtTheUsernameStepStartsNoFlow()
    {
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, false)));

        var result = await _h.Flow.StartAsync("ann@example.com", null, _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task OktaRateLimitAtTheUsernameStepSaysBusy()
    {
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Throttled(FakeOktaClient.Error(429, "E0000047")));

        var result = await _h.Flow.StartAsync("ann@example.com", null, _ct);

        Assert.Equal(FlowProblem.Busy, Assert.IsType<StartResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task LowOktaQuotaStartsNoFlowAndCallsNothing()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        _h.Quota.IsLow = true;

        var result = await _h.Flow.StartAsync("ann@example.com", null, _ct);

        Assert.Equal(FlowProblem.Busy, Assert.IsType<StartResult.Failed>(result).Problem);
        Assert.Empty(_h.Okta.Calls);
    }

    [Fact]
    public async Task FlowsStartAgainOnceOktaQuotaRecovers()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        _h.Quota.IsLow = true;
        await _h.Flow.StartAsync("ann@example.com", null, _ct);

        _h.Quota.IsLow = false;

        Assert.IsType<StartResult.Started>(await _h.Flow.StartAsync("ann@example.com", null, _ct));
    }

    [Fact]
    public async Task InvalidApiTokenIsAnOutageNotAnUnknownUser()
    {
        _h.Okta.NextGetUser.Enqueue(new OktaResult<OktaUser>.Failed(FakeOktaClient.Error(401, "E0000011")));

        var result = await _h.Flow.StartAsync("ann@example.com", null, _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<StartResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task StartsPerUsernameAreLimitedAlikeForRealAndUnknownUsers()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        foreach (var username in new[] { "ann@example.com", "nobody@example.com" })
        {
            for (var i = 0; i < _h.Options.Limits.StartsPerUsername; i++)
            {
                await _h.StartAsync(username);
            }

            var callsBefore = _h.Okta.Calls.Count;
            var refused = await _h.Flow.StartAsync(username.ToUpperInvariant(), null, _ct);

            Assert.Equal(FlowProblem.LimitReached, Assert.IsType<StartResult.Failed>(refused).Problem);
            Assert.Equal(callsBefore, _h.Okta.Calls.Count);
        }
    }

    [Fact]
    public async Task StartingAgainInTheSameBrowserEndsThePreviousFlow()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        var first = await _h.StartAsync("ann@example.com");

        await _h.StartAsync("ann@example.com", previous: first);

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<MenuResult.Failed>(await _h.Flow.GetMenuAsync(first, _ct)).Problem);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-flow")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AFlowIdThePortalNeverIssuedMeansStartAgain(string? secret)
    {
        var menu = await _h.Flow.GetMenuAsync(secret, _ct);

        Assert.Equal(FlowProblem.StartAgain, Assert.IsType<MenuResult.Failed>(menu).Problem);
        Assert.Empty(_h.Okta.Calls);
    }

    [Fact]
    public async Task ChoosingAKeyNotOnTheMenuIsRefused()
    {
        _h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        var secret = await _h.StartAsync("ann@example.com");
        var factorId = _h.Okta.Factors.Values.Single().Single().Id;

        Assert.IsType<ChooseResult.UnknownChoice>(await _h.Flow.ChooseAsync(secret, factorId, _ct));
        Assert.IsType<ChooseResult.UnknownChoice>(await _h.Flow.ChooseAsync(secret, "email", _ct));
        Assert.IsType<ChooseResult.EnterCode>(await _h.Flow.ChooseAsync(secret, "sms", _ct));
    }

    [Fact]
    public async Task DisabledKindsAreNotOffered()
    {
        var h = new FlowHarness(o => o.EnabledFactorKinds = [FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp]);

        var menu = (MenuResult.Menu)await h.Flow.GetMenuAsync(await h.StartAsync("ann@example.com"), _ct);

        Assert.Equal([FactorKind.OktaVerifyPush, FactorKind.OktaVerifyTotp], menu.Options.Select(o => o.Kind));
    }
}
