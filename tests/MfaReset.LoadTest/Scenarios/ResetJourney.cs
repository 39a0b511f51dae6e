using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Sandbox;
using MfaReset.Testing.Browser;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>How a person waits on a push: tabs open on the page, how often each polls, and when they tap "approve".</summary>
/// <param name="Tabs">Browser tabs polling the same flow (the same cookies).</param>
/// <param name="PollEvery">Delay between one tab's polls.</param>
/// <param name="ApproveAfter">How long after the push is sent the person approves it.</param>
internal sealed record PushBehavior(int Tabs, TimeSpan PollEvery, TimeSpan ApproveAfter)
{
    /// <summary>One tab, polling every second, the phone answered at once.</summary>
    public static PushBehavior Prompt { get; } = new(1, TimeSpan.FromSeconds(1), TimeSpan.Zero);
}

/// <summary>How one reset ended.</summary>
internal abstract record ResetOutcome
{
    private ResetOutcome()
    {
    }

    /// <summary>The done page was reached. <paramref name="PushWait"/>: from sending the push to the page seeing it approved.</summary>
    public sealed record Completed(TimeSpan? PushWait) : ResetOutcome;

    /// <summary>The reset stopped short; <paramref name="Reason"/> names the page and what was wrong (never a code or password).</summary>
    public sealed record Failed(string Reason) : ResetOutcome;
}

/// <summary>
/// One person resetting their password through the portal's pages, as a browser does it: forgot password,
/// choose the method, prove it (the code from their phone or app, or approving the push with the number
/// shown), choose a new password, done. The phone is the sandbox's control surface.
/// </summary>
internal sealed class ResetJourney(ISandboxProbe phone, TimeProvider time)
{
    private const string PasswordAlphabet = "bcdfghjkmnpqrstvwzBCDFGHJKLMNPQRSTVWZ23456789";

    // Longest a push may stay unanswered in the journey before it counts as lost.
    private static readonly TimeSpan PushGiveUp = TimeSpan.FromSeconds(90);

    public async Task<ResetOutcome> RunAsync(
        BrowserSession browser, Uri portal, string login, ResetKind kind, PushBehavior push, CancellationToken ct)
    {
        try
        {
            var page = await ChooseAsync(browser, portal, login, kind, ct).ConfigureAwait(false);
            TimeSpan? pushWait = null;
            switch (kind)
            {
                case ResetKind.Sms or ResetKind.Voice:
                    page = await SubmitAsync(browser, page.FormPostingTo(PortalPages.SendHandler), PortalPages.VerifyCode, ct).ConfigureAwait(false);
                    var sent = await phone.LatestPhoneCodeAsync(login, ct).ConfigureAwait(false)
                        ?? throw new JourneyException($"no {kind} code reached {login}'s phone after {page.Describe()}");
                    page = await EnterCodeAsync(browser, page, sent, ct).ConfigureAwait(false);
                    break;
                case ResetKind.OktaVerifyTotp or ResetKind.GoogleAuthenticator:
                    page = await EnterCodeAsync(browser, page, await phone.TotpCodeAsync(login, kind, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                    break;
                default:
                    (page, pushWait) = await ApprovePushAsync(browser, page, login, push, ct).ConfigureAwait(false);
                    break;
            }

            await SubmitAsync(browser, NewPasswordForm(page), PortalPages.Done, ct).ConfigureAwait(false);
            return new ResetOutcome.Completed(pushWait);
        }
        catch (Exception e) when (e is JourneyException or InvalidOperationException or HttpRequestException or JsonException)
        {
            return new ResetOutcome.Failed($"{kind} reset of {login}: {e.Message}");
        }
    }

    /// <summary>
    /// Proves the person with their authenticator app's code and stops on the change-password page, no
    /// password chosen: forgot password, choose the TOTP method, enter the current code.
    /// </summary>
    public async Task<HtmlPage> VerifyWithTotpAsync(BrowserSession browser, Uri portal, string login, ResetKind kind, CancellationToken ct)
    {
        var page = await ChooseAsync(browser, portal, login, kind, ct).ConfigureAwait(false);
        return await EnterCodeAsync(browser, page, await phone.TotpCodeAsync(login, kind, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    /// <summary>The change-password form filled with a new password the org's policy accepts.</summary>
    public static HtmlForm NewPasswordForm(HtmlPage page)
    {
        var password = NewPassword();
        return page.FormWithField(PortalPages.NewPasswordField).Set(PortalPages.NewPasswordField, password).Set(PortalPages.ConfirmPasswordField, password);
    }

    /// <summary>
    /// Starts a push reset and stops on the waiting page: forgot password, choose push, send. What the
    /// page's script needs to poll is returned; nobody answers the push.
    /// </summary>
    public static async Task<PushWait> StartPushAsync(BrowserSession browser, Uri portal, string login, CancellationToken ct)
    {
        var page = await ChooseAsync(browser, portal, login, ResetKind.Push, ct).ConfigureAwait(false);
        return await SendPushAsync(browser, page, ct).ConfigureAwait(false);
    }

    /// <summary>One poll, as the page script sends it; the state the portal answered ("pending", "approved", ...).</summary>
    public static async Task<string> PollOnceAsync(BrowserSession browser, PushWait wait, CancellationToken ct)
    {
        var (status, body) = await browser.FetchAsync(HttpMethod.Post, wait.PollUrl, wait.Headers, ct).ConfigureAwait(false);
        if (status != 200)
        {
            throw new JourneyException($"the push poll answered {status}");
        }

        return JsonSerializer.Deserialize(body, JourneyJsonContext.Default.PushStatusDto)?.State
            ?? throw new JourneyException("the push poll answered null");
    }

    /// <summary>Forgot password, then the method of <paramref name="kind"/>: the page that proves it (code or push), nothing sent yet.</summary>
    public static async Task<HtmlPage> ChooseAsync(BrowserSession browser, Uri portal, string login, ResetKind kind, CancellationToken ct)
    {
        var page = Expect(await browser.OpenAsync(new Uri(portal, PortalPages.ForgotPassword), ct).ConfigureAwait(false), PortalPages.ForgotPassword);
        page = await SubmitAsync(browser, page.FormWithField(PortalPages.UsernameField).Set(PortalPages.UsernameField, login), PortalPages.ChooseFactor, ct).ConfigureAwait(false);
        return await SubmitAsync(browser, page.FormWithField(PortalPages.ChoiceField).Set(PortalPages.ChoiceField, PortalPages.ChoiceKey(kind)),
            kind == ResetKind.Push ? PortalPages.WaitForPush : PortalPages.VerifyCode, ct).ConfigureAwait(false);
    }

    private static async Task<PushWait> SendPushAsync(BrowserSession browser, HtmlPage page, CancellationToken ct)
    {
        page = await SubmitAsync(browser, page.FormPostingTo(PortalPages.SendHandler), PortalPages.WaitForPush, ct).ConfigureAwait(false);
        var status = page.Find(PortalPages.PushPollSelector) ?? throw new JourneyException($"{page.Describe()} shows no push status to poll");
        var antiforgery = page.FormPostingTo(PortalPages.CheckHandler).Value(HtmlPage.AntiforgeryField)
            ?? throw new JourneyException($"{page.Describe()} has no antiforgery token for its poll");
        return new PushWait(
            page.Url,
            new Uri(page.Url, status.GetAttribute(PortalPages.PushPollAttribute) ?? string.Empty),
            [new(PortalPages.AntiforgeryHeader, antiforgery)],
            FirstPollDelay(status.GetAttribute(PortalPages.PushNextAttribute)),
            page.Text(PortalPages.PushNumberSelector) is { } shown ? int.Parse(shown, CultureInfo.InvariantCulture) : null);
    }

    private async Task<(HtmlPage Page, TimeSpan Waited)> ApprovePushAsync(
        BrowserSession browser, HtmlPage page, string login, PushBehavior push, CancellationToken ct)
    {
        var wait = await SendPushAsync(browser, page, ct).ConfigureAwait(false);
        var sentAt = time.GetTimestamp();
        using var approved = CancellationTokenSource.CreateLinkedTokenSource(ct);
        approved.CancelAfter(push.ApproveAfter + PushGiveUp);
        var tap = TapApproveAsync(login, wait.Number, push.ApproveAfter, approved);
        var tabs = Enumerable.Range(0, push.Tabs)
            .Select(_ => PollUntilApprovedAsync(browser, wait, push.PollEvery, approved.Token))
            .ToList();
        string redirect;
        TimeSpan waited;
        try
        {
            redirect = await await Task.WhenAny(tabs).ConfigureAwait(false);
            waited = time.GetElapsedTime(sentAt);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (tap.IsFaulted)
            {
                await tap.ConfigureAwait(false);
            }

            throw new JourneyException($"the push to {login} was not seen approved within {(push.ApproveAfter + PushGiveUp).TotalSeconds} s");
        }
        finally
        {
            await approved.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tabs.Append(tap).Select(Settle)).ConfigureAwait(false);
        }

        return (Expect(await browser.OpenAsync(new Uri(wait.PageUrl, redirect), ct).ConfigureAwait(false), PortalPages.ChangePassword), waited);
    }

    // The person reads the number on the screen and taps it on the phone.
    // When that fails the tabs stop polling: nobody is going to approve.
    private async Task TapApproveAsync(string login, int? number, TimeSpan after, CancellationTokenSource polling)
    {
        try
        {
            if (after > TimeSpan.Zero)
            {
                await Task.Delay(after, time, polling.Token).ConfigureAwait(false);
            }

            var pending = await phone.PendingPushAsync(login, polling.Token).ConfigureAwait(false)
                ?? throw new JourneyException($"no push is waiting on {login}'s phone");
            if (!await phone.ApprovePushAsync(pending.TransactionId, number, polling.Token).ConfigureAwait(false))
            {
                throw new JourneyException($"approving the push with the number shown ({number?.ToString(CultureInfo.InvariantCulture) ?? "none"}) was refused");
            }
        }
        catch (JourneyException)
        {
            await polling.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The page script waits as long as the page says (at least a second) before its first poll.
    private static TimeSpan FirstPollDelay(string? next) =>
        TimeSpan.FromMilliseconds(Math.Max(int.TryParse(next, CultureInfo.InvariantCulture, out var ms) ? ms : 3000, 1000));

    // The page script: POST the poll with the antiforgery header, wait, repeat, until approved.
    private async Task<string> PollUntilApprovedAsync(BrowserSession browser, PushWait wait, TimeSpan every, CancellationToken ct)
    {
        await Task.Delay(wait.FirstPoll, time, ct).ConfigureAwait(false);
        while (true)
        {
            var (status, body) = await browser.FetchAsync(HttpMethod.Post, wait.PollUrl, wait.Headers, ct).ConfigureAwait(false);
            if (status != 200)
            {
                throw new JourneyException($"the push poll answered {status}");
            }

            var answer = JsonSerializer.Deserialize(body, JourneyJsonContext.Default.PushStatusDto)
                ?? throw new JourneyException("the push poll answered null");
            switch (answer.State)
            {
                case "approved" when answer.Redirect is { } redirect:
                    return redirect;
                case "pending":
                    await Task.Delay(every, time, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new JourneyException($"the push poll answered '{answer.State}'");
            }
        }
    }

    // Waits for a tab or the tap to finish; its outcome was already used (or superseded by the one thrown).
    private static async Task Settle(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or JourneyException or HttpRequestException or JsonException)
        {
            // The other tabs stop once one has seen the approval.
        }
    }

    private static async Task<HtmlPage> EnterCodeAsync(BrowserSession browser, HtmlPage page, string code, CancellationToken ct) =>
        await SubmitAsync(browser, page.FormWithField(PortalPages.CodeField).Set(PortalPages.CodeField, code), PortalPages.ChangePassword, ct).ConfigureAwait(false);

    private static async Task<HtmlPage> SubmitAsync(BrowserSession browser, HtmlForm form, string expectedPath, CancellationToken ct) =>
        Expect(await browser.SubmitAsync(form.Submit(), ct).ConfigureAwait(false), expectedPath);

    private static HtmlPage Expect(HtmlPage page, string path) =>
        page.Status == 200 && page.Url.AbsolutePath.Equals(path, StringComparison.OrdinalIgnoreCase)
            ? page
            : throw new JourneyException($"expected {path}, got {page.Describe()}");

    // Meets the sandbox policy (upper, lower, digit, 8+) and, without vowels, never contains a part of a login.
    private static string NewPassword() => "Kq7" + RandomNumberGenerator.GetString(PasswordAlphabet, 17);

}

/// <summary>A flow waiting on a push: what the waiting page's script knows.</summary>
/// <param name="PageUrl">The waiting page.</param>
/// <param name="PollUrl">The poll endpoint (the flow is in the cookie, not the URL).</param>
/// <param name="Headers">The antiforgery header the script sends.</param>
/// <param name="FirstPoll">How long the script waits before its first poll.</param>
/// <param name="Number">The number to tap, when number matching is on.</param>
internal sealed record PushWait(Uri PageUrl, Uri PollUrl, IReadOnlyList<KeyValuePair<string, string>> Headers, TimeSpan FirstPoll, int? Number);

/// <summary>The portal did not answer as a person's browser expects; the message names the page, never a secret.</summary>
internal sealed class JourneyException(string message) : Exception(message);

/// <summary>The push poll's JSON, as the page script reads it.</summary>
internal sealed record PushStatusDto(string State, int? Number, int Next, string? Redirect);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PushStatusDto))]
internal sealed partial class JourneyJsonContext : JsonSerializerContext;
