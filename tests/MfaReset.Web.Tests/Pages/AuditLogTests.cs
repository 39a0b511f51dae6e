using MfaReset.Testing;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>What the logs hold after complete resets: events per step, and no secret of any kind.</summary>
public sealed class AuditLogTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    [Fact]
    public async Task LogsHoldNoPasswordCodeTokenCookiePhoneNumberOrPollLink()
    {
        List<string> secrets = [PortalBrowser.Password, "tomtotpweak", App.Sandbox.ApiToken];
        using (var sms = App.NewBrowser())
        {
            await sms.ChooseAsync("sam.sms@example.com", "sms");
            await sms.SendCodeAsync();
            var code = App.Okta.GetLatestMessage("sam.sms@example.com")!.Code;
            secrets.Add(code);
            secrets.Add(sms.Cookie("__Host-MfaReset-Flow")!);
            await sms.EnterCodeAsync(code);
            secrets.Add(sms.Cookie("__Host-MfaReset-Flow")!);
            secrets.Add(sms.Cookie("__Host-MfaReset-Token")!);
            secrets.Add(sms.Cookie("__Host-MfaReset-Antiforgery")!);
            await sms.FollowAsync();
            await sms.ChangePasswordAsync("tomtotpweak");
            await sms.ChangePasswordAsync();
        }

        using (var push = App.NewBrowser())
        {
            await push.ChooseAsync("pat.push@example.com", "push");
            await push.SendPushAsync();
            var pending = Assert.Single(App.Okta.GetPendingPushes("pat.push@example.com"));
            secrets.Add(pending.TransactionId);
            App.Okta.ApprovePush(pending.TransactionId, pending.CorrectAnswer);
            await push.PollAsync();
        }

        var logs = App.Logs.AllText();

        Assert.All([1009, 1007, 1005], eventId => Assert.NotEmpty(App.Logs.OfEvent(eventId)));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
        Assert.DoesNotContain("2025550101", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("/transactions/", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("SSWS", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACodeOrUsernameRefusedBeforeOktaIsDescribedNeverQuoted()
    {
        const string Username = "zed.typo@example.com\u0007";
        using (var start = App.NewBrowser())
        {
            await start.GetAsync("/");
            await start.PostAsync("/", ("Input.Username", Username));
        }

        using var sms = App.NewBrowser();
        await sms.ChooseAsync("sam.sms@example.com", "sms");
        await sms.SendCodeAsync();
        var code = App.Okta.GetLatestMessage("sam.sms@example.com")!.Code;

        await sms.EnterCodeAsync(code + "."); // one key off: the code itself is live
        await sms.EnterCodeAsync(code + ".");

        var logs = App.Logs.AllText();
        Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("zed.typo", logs, StringComparison.Ordinal);
        var codes = App.Logs.OfEvent(1013).Select(r => r.Value("Code")).ToList();
        Assert.Equal(2, codes.Count);
        Assert.StartsWith("7 chars: 6 digit, 1 punctuation; ref ", codes[0], StringComparison.Ordinal);
        Assert.Equal(codes[0], codes[1]); // the same value, the same reference: repeats can be told apart from new guesses
        Assert.StartsWith("Input.Username=21 chars: 17 letter, 3 punctuation, 1 control; ref ", Assert.Single(App.Logs.OfEvent(1205)).Value("Fields"), StringComparison.Ordinal);
    }
}
