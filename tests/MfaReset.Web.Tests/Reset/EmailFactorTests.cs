using MfaReset.Okta;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>Email as a method: sent like an SMS (same budgets and throttles), verified with a code, masked in the Enrolled menu.</summary>
public sealed class EmailFactorTests
{
    private const string DecoyKey = "decoy-key-0123456789-0123456789-0123456789";

    private readonly FlowHarness _h = new(o => o.EnabledFactorKinds = [FactorKind.Email, FactorKind.Sms]);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public EmailFactorTests()
    {
        _h.Okta.AddUser("jane.doe@example.com", kinds: [FactorKind.Email]);
    }

    private static FactorMenu EnrolledWithEmail() =>
        new(Microsoft.Extensions.Options.Options.Create(new ResetOptions { FactorMenu = FactorMenuMode.Enrolled, DecoyKey = DecoyKey, EnabledFactorKinds = [FactorKind.Email, FactorKind.Sms] }));

    [Fact]
    public async Task EmailCodeIsSentWithTheCodePagesLifetimeThenVerifies()
    {
        var secret = await _h.ChooseAsync("jane.doe@example.com", FactorKind.Email);
        Assert.IsType<VerifyCodeResult.NotSent>(await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct));

        Assert.Equal(new SendCodeResult.Sent(Resend: false), await _h.Flow.SendCodeAsync(secret, _ct));
        var result = await _h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.IsType<VerifyCodeResult.Verified>(result);
        Assert.Equal([_h.Options.IdleTimeout], _h.Okta.EmailTokenLifetimes);
        Assert.Equal(0, _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public async Task OktasEmailThrottleSendsNothingSpendsNoSendAndSaysWhen()
    {
        _h.Okta.NextChallenge.Enqueue(new FactorVerifyResult.Throttled(FakeOktaClient.Error(429, OktaErrorCodes.EmailRecentlySent)));
        var secret = await _h.ChooseAsync("jane.doe@example.com", FactorKind.Email);

        var result = await _h.Flow.SendCodeAsync(secret, _ct);

        var busy = Assert.IsType<SendCodeResult.PhoneBusy>(result);
        Assert.True(busy.AvailableAt > _h.Clock.GetUtcNow());
        var step = Assert.IsType<CodeStepResult.Ready>(await _h.Flow.GetCodeStepAsync(secret, _ct)).Step;
        Assert.False(step.CodeSent);
        Assert.Equal(busy.AvailableAt, step.SendAgainAt);
    }

    [Fact]
    public async Task EmailSendsCountInThePerPersonSendBudgetLikeSms()
    {
        _h.Okta.AddUser("both@example.com", kinds: [FactorKind.Email, FactorKind.Sms]);
        var sent = 0;
        for (var flow = 0; flow < 10; flow++)
        {
            var secret = await _h.ChooseAsync("both@example.com", flow % 2 == 0 ? FactorKind.Email : FactorKind.Sms);
            if (await _h.Flow.SendCodeAsync(secret, _ct) is SendCodeResult.Sent)
            {
                sent++;
            }

            _h.Clock.Advance(_h.Options.Limits.ResendCooldown);
        }

        Assert.Equal(_h.Options.Limits.SendsPerUser, sent);
        Assert.Equal(sent, _h.Okta.CountOf(nameof(IOktaClient.ChallengeEmailAsync)) + _h.Okta.CountOf(nameof(IOktaClient.ChallengeAsync)));
    }

    [Fact]
    public void EnrolledMenuMasksTheEmailAddress()
    {
        var built = EnrolledWithEmail().Build("jane", [FakeOktaClient.Factor(FactorKind.Email, "emf1")]);

        Assert.Equal("Email a code to j\u2022\u2022\u2022@example.com", Assert.Single(built).Label);
    }

    [Fact]
    public void UnknownEmailUsernamesGetStableEmailDecoysMaskedLikeARealAddress()
    {
        var menu = EnrolledWithEmail();
        var usernames = Enumerable.Range(0, 60).Select(i => $"person{i}@example.org").ToList();

        var decoys = usernames.Select(u => (Username: u, Menu: menu.Build(u, []))).ToList();

        var withEmail = decoys.Where(d => d.Menu.Any(f => f.Kind == FactorKind.Email)).ToList();
        Assert.InRange(withEmail.Count, 1, usernames.Count - 1);
        Assert.All(withEmail, d => Assert.Equal("Email a code to p\u2022\u2022\u2022@example.org", d.Menu.Single(f => f.Kind == FactorKind.Email).Label));
        Assert.All(decoys, d => Assert.Equal(d.Menu.Select(f => f.Label), menu.Build(d.Username, []).Select(f => f.Label)));
        Assert.All(decoys, d => Assert.All(d.Menu, f => Assert.Null(f.OktaFactorId)));
    }

    [Fact]
    public void EmailIsOfferedOnlyWhenListed()
    {
        Assert.DoesNotContain(FactorKind.Email, new ResetOptions().OfferedKinds);
        Assert.Equal([FactorKind.Sms, FactorKind.Email], new ResetOptions { EnabledFactorKinds = [FactorKind.Email, FactorKind.Sms] }.OfferedKinds);
    }
}
