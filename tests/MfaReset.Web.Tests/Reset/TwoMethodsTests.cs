using MfaReset.Okta;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// <c>Reset:MethodsRequired=2</c>, or an org rule that requires a second check: two distinct methods in one
/// flow before the reset token; the first one is not offered again.
/// </summary>
public sealed class TwoMethodsTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static async Task<VerifyCodeResult> SmsAsync(FlowHarness h, string secret, string key)
    {
        await h.Flow.ChooseAsync(secret, key, TestContext.Current.CancellationToken);
        await h.Flow.SendCodeAsync(secret, TestContext.Current.CancellationToken);
        return await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, TestContext.Current.CancellationToken);
    }

    private async Task AssertTwoDistinctMethodsAreNeededAsync(FlowHarness h)
    {
        h.Okta.AddUser("max@example.com", kinds: [FactorKind.OktaVerifyTotp, FactorKind.Sms]);
        var secret = await h.ChooseAsync("max@example.com", FactorKind.OktaVerifyTotp);
        var totpKey = ((MenuResult.Menu)await h.Flow.GetMenuAsync(secret, _ct)).SelectedKey!;

        var first = Assert.IsType<VerifyCodeResult.Verified>(await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct)).Credentials;

        Assert.True(first.SecondMethodNeeded);
        Assert.Null(first.ResetToken);
        Assert.Equal("/Reset/ChooseFactor", MfaReset.Web.Http.FlowCookies.PageAfterVerification(first));
        Assert.IsType<PasswordStepResult.Failed>(await h.Flow.GetPasswordStepAsync(first.FlowSecret, "any", _ct));
        var menu = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(first.FlowSecret, _ct));
        Assert.True(menu.SecondMethod);
        Assert.DoesNotContain(menu.Options, o => o.Key == totpKey || o.Kind == FactorKind.OktaVerifyTotp);
        Assert.IsType<ChooseResult.UnknownChoice>(await h.Flow.ChooseAsync(first.FlowSecret, totpKey, _ct));

        var second = Assert.IsType<VerifyCodeResult.Verified>(await SmsAsync(h, first.FlowSecret, menu.Options.Single(o => o.Kind == FactorKind.Sms).Key)).Credentials;

        Assert.False(second.SecondMethodNeeded);
        Assert.NotNull(second.ResetToken);
        Assert.IsType<PasswordStepResult.Ready>(await h.Flow.GetPasswordStepAsync(second.FlowSecret, second.ResetToken, _ct));
        Assert.Equal(2, h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task WithTwoMethodsRequiredTheFirstVerificationLeadsBackToTheMenuWithoutItAndTheSecondGivesTheToken() =>
        await AssertTwoDistinctMethodsAreNeededAsync(new FlowHarness(o => o.MethodsRequired = 2));

    [Fact]
    public async Task ARuleThatRequiresASecondCheckAsksForTwoMethodsEvenWithOneConfigured()
    {
        var h = new FlowHarness();
        h.Okta.Policies[0] = FakeOktaClient.PolicyFor([], FakeOktaClient.Rule("Step-up", allowed: true, ["sms", "otp"], stepUp: true));

        await AssertTwoDistinctMethodsAreNeededAsync(h);
    }

    [Fact]
    public async Task WithOneMethodRequiredTheFirstVerificationGivesTheToken()
    {
        var h = new FlowHarness();
        h.Okta.AddUser("tom@example.com", kinds: [FactorKind.OktaVerifyTotp, FactorKind.Sms]);
        var secret = await h.ChooseAsync("tom@example.com", FactorKind.OktaVerifyTotp);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct)).Credentials;

        Assert.False(verified.SecondMethodNeeded);
        Assert.NotNull(verified.ResetToken);
    }

    /// <summary>Unlocks need one method whatever the setting: nothing is set, and Okta's own unlock asks for one.</summary>
    [Fact]
    public async Task AnUnlockNeedsOneMethodEvenWithTwoRequired()
    {
        var h = new FlowHarness(o => o.MethodsRequired = 2);
        h.Okta.AddUser("lou@example.com", OktaUserStatus.LockedOut, kinds: [FactorKind.OktaVerifyTotp, FactorKind.Sms]);
        var started = Assert.IsType<StartResult.Started>(await h.Flow.StartAsync("lou@example.com", null, FlowPurpose.Unlock, _ct));
        var menu = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(started.FlowSecret, _ct));
        await h.Flow.ChooseAsync(started.FlowSecret, menu.Options.Single(o => o.Kind == FactorKind.OktaVerifyTotp).Key, _ct);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await h.Flow.VerifyCodeAsync(started.FlowSecret, FakeOktaClient.ValidCode, _ct)).Credentials;

        Assert.False(verified.SecondMethodNeeded);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }

    // ---- One verification, one method: a change of method while Okta's answer is on its way ----------

    private static async Task<(FlowHarness H, string Secret, MenuResult.Menu Menu)> WaitingOnPushAsync()
    {
        var h = new FlowHarness(o => o.MethodsRequired = 2);
        h.Okta.AddUser("pia@example.com", kinds: [FactorKind.OktaVerifyPush, FactorKind.Sms]);
        var secret = await h.ChooseAsync("pia@example.com", FactorKind.OktaVerifyPush);
        Assert.IsType<SendPushResult.Sent>(await h.Flow.SendPushAsync(secret, TestContext.Current.CancellationToken));
        var menu = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, TestContext.Current.CancellationToken));
        return (h, secret, menu);
    }

    private static async Task<(FlowHarness H, string Secret, MenuResult.Menu Menu)> OnTotpAsync()
    {
        var h = new FlowHarness(o => o.MethodsRequired = 2);
        h.Okta.AddUser("ivo@example.com", kinds: [FactorKind.OktaVerifyTotp, FactorKind.OktaVerifyPush, FactorKind.Sms]);
        var secret = await h.ChooseAsync("ivo@example.com", FactorKind.OktaVerifyTotp);
        return (h, secret, Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, TestContext.Current.CancellationToken)));
    }

    private static string KeyOf(MenuResult.Menu menu, FactorKind kind) => menu.Options.Single(o => o.Kind == kind).Key;

    [Fact]
    public async Task AChangeOfMethodWhileAnApprovedPushIsAnsweredIsRefusedAndThePushCountsAsTheFirstMethodOnly()
    {
        var (h, secret, menu) = await WaitingOnPushAsync();
        ChooseResult? meanwhile = null;
        h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());
        h.Okta.WhileAnswering = async () => meanwhile = await h.Flow.ChooseAsync(secret, KeyOf(menu, FactorKind.Sms), _ct);

        var approved = Assert.IsType<PollResult.Status>(await h.Flow.PollPushAsync(secret, _ct));
        h.Okta.WhileAnswering = null;

        Assert.IsType<ChooseResult.VerificationInFlight>(meanwhile);
        Assert.True(approved.Verified!.SecondMethodNeeded);
        var second = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(approved.Verified.FlowSecret, _ct));
        Assert.DoesNotContain(second.Options, o => o.Kind == FactorKind.OktaVerifyPush);
        Assert.IsType<ChooseResult.UnknownChoice>(await h.Flow.ChooseAsync(approved.Verified.FlowSecret, KeyOf(menu, FactorKind.OktaVerifyPush), _ct));
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.SendPushAsync)));
    }

    [Fact]
    public async Task AnApprovalWhoseMethodChangedAfterTheHoldRanOutIsNotWrittenForTheNewMethod()
    {
        // Okta answered later than any request may wait: the change went through, so the approval is for nothing.
        var (h, secret, menu) = await WaitingOnPushAsync();
        ChooseResult? meanwhile = null;
        h.Okta.NextPoll.Enqueue(new FactorVerifyResult.Success());
        h.Okta.WhileAnswering = async () =>
        {
            h.Clock.Advance(FlowHarness.OktaTotalBudget + TimeSpan.FromSeconds(1));
            meanwhile = await h.Flow.ChooseAsync(secret, KeyOf(menu, FactorKind.Sms), _ct);
        };

        var answer = await h.Flow.PollPushAsync(secret, _ct);
        h.Okta.WhileAnswering = null;

        Assert.IsType<ChooseResult.EnterCode>(meanwhile);
        Assert.False(answer is PollResult.Status { Verified: not null });
        var still = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, _ct));
        Assert.False(still.SecondMethod);
        Assert.Contains(still.Options, o => o.Kind == FactorKind.OktaVerifyPush);
        Assert.Equal(KeyOf(menu, FactorKind.Sms), still.SelectedKey);
    }

    [Fact]
    public async Task AChangeOfMethodWhileAValidCodeIsCheckedIsRefusedAndTheCodesMethodCountsAsTheFirst()
    {
        var (h, secret, menu) = await OnTotpAsync();
        ChooseResult? meanwhile = null;
        h.Okta.WhileAnswering = async () => meanwhile = await h.Flow.ChooseAsync(secret, KeyOf(menu, FactorKind.OktaVerifyPush), _ct);

        var first = Assert.IsType<VerifyCodeResult.Verified>(await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct)).Credentials;

        Assert.IsType<ChooseResult.VerificationInFlight>(meanwhile);
        var second = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(first.FlowSecret, _ct));
        Assert.DoesNotContain(second.Options, o => o.Kind == FactorKind.OktaVerifyTotp);
        Assert.Contains(second.Options, o => o.Kind == FactorKind.OktaVerifyPush);
        Assert.Null(second.SelectedKey);
    }

    [Fact]
    public async Task OnceOktaAnsweredThatThePushIsStillWaitingTheMethodCanChangeAtOnce()
    {
        var (h, secret, menu) = await WaitingOnPushAsync();

        Assert.Equal(PushStatus.Pending, Assert.IsType<PollResult.Status>(await h.Flow.PollPushAsync(secret, _ct)).State);

        Assert.IsType<ChooseResult.EnterCode>(await h.Flow.ChooseAsync(secret, KeyOf(menu, FactorKind.Sms), _ct));
    }

    [Fact]
    public async Task AfterAWrongCodeTheMethodCanChangeAtOnce()
    {
        var (h, secret, menu) = await OnTotpAsync();

        Assert.IsType<VerifyCodeResult.WrongCode>(await h.Flow.VerifyCodeAsync(secret, "654321", _ct));

        Assert.IsType<ChooseResult.EnterCode>(await h.Flow.ChooseAsync(secret, KeyOf(menu, FactorKind.Sms), _ct));
    }
}
