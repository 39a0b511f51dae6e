using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>The portal-wide daily budget of SMS and voice sends (security.md 24), for real and decoy sends alike.</summary>
public sealed class SendBudgetTests
{
    private const string Unknown = "nobody@example.com";
    private readonly FlowHarness _h = new(o => o.Limits.SendsPerDayGlobal = 2);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public SendBudgetTests()
    {
        foreach (var login in new[] { "ann@example.com", "bob@example.com", "cat@example.com" })
        {
            _h.Okta.AddUser(login, kinds: [FactorKind.Sms, FactorKind.Call, FactorKind.OktaVerifyTotp]);
        }
    }

    private async Task<(string Secret, SendCodeResult Result)> SendAsync(string login, FactorKind kind = FactorKind.Sms)
    {
        var secret = await _h.ChooseAsync(login, kind);
        return (secret, await _h.Flow.SendCodeAsync(secret, _ct));
    }

    // A budget of one send, spent by a decoy send; then ann's flow at the SMS send step.
    private async Task<(FlowHarness Harness, string Secret)> AnnChoosesSmsAfterADecoySpentTheBudgetAsync()
    {
        var h = new FlowHarness(o => o.Limits.SendsPerDayGlobal = 1);
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.Sms]);
        await h.Flow.SendCodeAsync(await h.ChooseAsync(Unknown, FactorKind.Sms), _ct);
        return (h, await h.ChooseAsync("ann@example.com", FactorKind.Sms));
    }

    [Fact]
    public async Task SpentBudgetSendsNothingAndTheFlowGoesOnWithAnotherMethod()
    {
        Assert.IsType<SendCodeResult.Sent>((await SendAsync("ann@example.com")).Result);
        Assert.IsType<SendCodeResult.Sent>((await SendAsync("bob@example.com", FactorKind.Call)).Result);

        var (secret, spent) = await SendAsync("cat@example.com");
        var step = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;
        var menu = (MenuResult.Menu)await _h.Flow.GetMenuAsync(secret, _ct);
        await _h.Flow.ChooseAsync(secret, menu.Options.Single(o => o.Kind == FactorKind.OktaVerifyTotp).Key, _ct);
        var verified = await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.IsType<SendCodeResult.PhoneUnavailable>(spent);
        Assert.Equal(2, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
        Assert.False(step.CodeSent); // the page offers its send step again, not a field for a code that never came
        Assert.IsType<VerifyCodeResult.Verified>(verified);
    }

    [Fact]
    public async Task ASendRefusedForTheBudgetIsNotCountedAgainstTheFlow()
    {
        var (h, secret) = await AnnChoosesSmsAfterADecoySpentTheBudgetAsync();

        var refused = await h.Flow.SendCodeAsync(secret, _ct);
        var again = await h.Flow.SendCodeAsync(secret, _ct); // no cooldown: nothing was sent

        Assert.IsType<SendCodeResult.PhoneUnavailable>(refused);
        Assert.IsType<SendCodeResult.PhoneUnavailable>(again);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task ASendRefusedForTheBudgetSpendsNoneOfThePersonsSends()
    {
        var (h, secret) = await AnnChoosesSmsAfterADecoySpentTheBudgetAsync();

        var refused = await h.Flow.SendCodeAsync(secret, _ct);

        var subject = (await h.Store.GetAsync(FlowSecrets.KeyOf(secret), _ct))!.SubjectKey;
        Assert.IsType<SendCodeResult.PhoneUnavailable>(refused);
        Assert.Empty(await h.Store.EventTimesAsync(FlowKeys.Sends(subject), _ct));
    }

    [Fact]
    public async Task DecoySendsUseTheSameBudgetAndMeetTheSameOutcomeAtTheSameStep()
    {
        Assert.IsType<SendCodeResult.Sent>((await SendAsync(Unknown)).Result);
        Assert.IsType<SendCodeResult.Sent>((await SendAsync("ann@example.com")).Result);

        var real = (await SendAsync("bob@example.com")).Result;
        var decoy = (await SendAsync("someone.else@example.com")).Result;

        Assert.IsType<SendCodeResult.PhoneUnavailable>(real);
        Assert.Equal(real, decoy);
        Assert.Equal(1, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task BudgetComesBackAsSendsFallOutOfTheLast24Hours()
    {
        await SendAsync("ann@example.com");
        _h.Clock.Advance(TimeSpan.FromHours(12));
        await SendAsync("bob@example.com");
        Assert.IsType<SendCodeResult.PhoneUnavailable>((await SendAsync("cat@example.com")).Result);

        _h.Clock.Advance(TimeSpan.FromHours(12));

        Assert.IsType<SendCodeResult.Sent>((await SendAsync("cat@example.com")).Result);
        Assert.IsType<SendCodeResult.PhoneUnavailable>((await SendAsync(Unknown)).Result);
        Assert.Equal(3, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task SpentBudgetIsLoggedAsALimitWithTheClient()
    {
        await SendAsync("ann@example.com");
        await SendAsync("bob@example.com");

        await SendAsync("cat@example.com");

        Assert.Contains(_h.Logs.OfEvent(1006), r => r.Value("Limit") == "sends-per-day-global" && r.Value("ClientIp") == FlowHarness.ClientIp);
    }
}
