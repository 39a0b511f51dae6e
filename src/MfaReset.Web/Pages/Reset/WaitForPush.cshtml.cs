using System.Text.Json;
using System.Text.Json.Serialization;
using MfaReset.Web.Http;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// Step 3 for Okta Verify push: the send step, the number to tap, and the outcome. With JavaScript the
/// page polls <c>POST /reset/push/status</c> (antiforgery header, cookie only, no ids); without it the
/// "I've approved it" button checks once.
/// </summary>
public sealed class WaitForPushModel(ResetFlow flow, TimeProvider timeProvider, IOptions<ResetOptions> options, ILogger<WaitForPushModel> logger) : PageModel
{
    public PushStep Step { get; private set; } = default!;

    /// <summary>Whole seconds until another push may be sent; 0 when it may.</summary>
    public int SendAgainInSeconds { get; private set; }

    /// <summary>A short notice after a redirect; only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public string? NoticeText => Notice switch
    {
        "waiting" => "We haven't had your approval yet. Approve the request in Okta Verify, then try again.",
        "wait" => "We didn't send a push: pushes to one account can only be sent a minute apart. Send it when the wait below is over.",
        "wait-open" => "We didn't send a push: another push to this account is still waiting for an answer. Send one when the wait below is over.",
        _ => null,
    };

    /// <summary>After this long with nothing approved, the page asks whether anything arrived at all.</summary>
    public static readonly TimeSpan NothingArrivedAfter = TimeSpan.FromSeconds(30);

    /// <summary>With the same menu for everyone the portal cannot say Okta Verify is set up, so the page says "if".</summary>
    public bool GenericMenu => options.Value.FactorMenu == FactorMenuMode.Generic;

    /// <summary>Seconds until "Didn't get anything?" shows; 0 once it does.</summary>
    public int NothingArrivedInSeconds => Countdown.SecondsUntil(Step.SentAt + NothingArrivedAfter, timeProvider.GetUtcNow());

    /// <summary>How long the push can still be answered: its own expiry or the flow's end, whichever is first.</summary>
    public TimeLeft PushTimeLeft => TimeLeft.Until(
        Step.PushExpiresAt is { } expires && expires < Step.EndsAt ? expires : Step.EndsAt,
        timeProvider.GetUtcNow(),
        "The push can be answered for {0}.");

    /// <summary>The send button with its wait.</summary>
    public Countdown SendCountdown(string buttonText) => new(
        SendAgainInSeconds, buttonText, "You can send a push in {0} seconds.", "You can send a push now.");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var step = await flow.GetPushStepAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        if (step is PushStepResult.Failed failed)
        {
            return this.RedirectToProblem(failed.Problem);
        }

        Step = ((PushStepResult.Ready)step).Step;
        SendAgainInSeconds = Countdown.SecondsUntil(Step.SendAgainAt, timeProvider.GetUtcNow());
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken cancellationToken)
    {
        var result = await flow.SendPushAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        return result switch
        {
            SendPushResult.Sent => RedirectToPage(new { handler = (string?)null }),
            SendPushResult.TooSoon tooSoon => RedirectToPage(new { handler = (string?)null, notice = tooSoon.OtherPushOpen ? "wait-open" : "wait" }),
            SendPushResult.Failed failed => this.RedirectToProblem(failed.Problem),
            _ => throw new InvalidOperationException($"Unexpected {result.GetType().Name}."),
        };
    }

    /// <summary>The no-JavaScript "I've approved it" button: Okta is asked for this press (once per poll interval).</summary>
    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        var result = await flow.CheckPushAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        switch (result)
        {
            case PollResult.Status { Verified: { } credentials }:
                FlowCookies.Verified(Response, credentials);
                return RedirectToPage(FlowCookies.PageAfterVerification(credentials));
            case PollResult.Status { State: PushStatus.Approved }:
                return RedirectToPage("/Reset/ChangePassword");
            case PollResult.Status { State: PushStatus.Rejected }:
                return this.RedirectToProblem(FlowProblem.PushRejected);
            case PollResult.Status { State: PushStatus.Pending }:
                return RedirectToPage(new { handler = (string?)null, notice = "waiting" });
            case PollResult.Status:
                return RedirectToPage(new { handler = (string?)null });
            case PollResult.Failed failed:
                return this.RedirectToProblem(failed.Problem, failed.Until);
            default:
                return this.RedirectToProblem(FlowProblem.StartAgain);
        }
    }

    /// <summary>The script's poll: the state, the number, and when to ask again. 404 without a pending push.</summary>
    public async Task<IActionResult> OnPostStatusAsync(CancellationToken cancellationToken)
    {
        var result = await flow.PollPushAsync(FlowCookies.ReadFlow(Request), cancellationToken);
        switch (result)
        {
            case PollResult.Status status:
                if (status.Verified is { } credentials)
                {
                    FlowCookies.Verified(Response, credentials);
                }

                var redirect = status.State switch
                {
                    PushStatus.Approved => Url.Page(status.Verified is { } verified ? FlowCookies.PageAfterVerification(verified) : "/Reset/ChangePassword"),
                    PushStatus.Rejected => this.ProblemUrl(FlowProblem.PushRejected),
                    PushStatus.Expired => Url.Page("/Reset/WaitForPush", new { handler = (string?)null }),
                    _ => null,
                };
                return Json(new PushStatusResponse(StateName(status.State), status.Number, (int)status.NextPoll.TotalMilliseconds, redirect));
            case PollResult.Failed failed:
                var problemUrl = this.ProblemUrl(failed.Problem, failed.Until);
                return Json(new PushStatusResponse("ended", null, 0, problemUrl));
            default:
                var origin = RequestOrigin.Of(HttpContext);
                logger.PollWithoutPush(origin);
                return NotFound();
        }
    }

    private static JsonResult Json(PushStatusResponse response) => new(response, PortalJsonContext.Default.Options);

    private static string StateName(PushStatus state) => state switch
    {
        PushStatus.Approved => "approved",
        PushStatus.Rejected => "rejected",
        PushStatus.Expired => "expired",
        _ => "pending",
    };
}

/// <summary>The poll endpoint's answer: never an Okta id, link or body.</summary>
/// <param name="State"><c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>expired</c> or <c>ended</c>.</param>
/// <param name="Number">The number to tap, when number matching is on.</param>
/// <param name="Next">Milliseconds until the page should ask again.</param>
/// <param name="Redirect">Where the page should go now, if anywhere.</param>
public sealed record PushStatusResponse(string State, int? Number, int Next, string? Redirect);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PushStatusResponse))]
internal sealed partial class PortalJsonContext : JsonSerializerContext;
