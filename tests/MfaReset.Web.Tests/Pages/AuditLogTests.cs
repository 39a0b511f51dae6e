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
}
