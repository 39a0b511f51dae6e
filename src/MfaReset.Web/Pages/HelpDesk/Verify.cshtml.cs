using System.ComponentModel.DataAnnotations;
using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>Pick how to verify the caller (only methods they have) and send the challenge; shows the last attempt's result.</summary>
public sealed class VerifyModel(CallerCheck check, CallCookie calls, TimeProvider time) : HelpDeskPageModel(calls)
{
    public CallRecord Current { get; private set; } = default!;

    public IReadOnlyList<CallerMethod> Methods { get; private set; } = [];

    [BindProperty]
    [Required(ErrorMessage = "Choose how to verify the caller.")]
    public string? Choice { get; set; }

    /// <summary>The last attempt's result or why nothing was sent; only known values are shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Result { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Wait { get; set; }

    public string? ResultText => Result switch
    {
        "denied" => "Not verified: the caller denied the push, or tapped a number other than the one shown here.",
        "timed-out" => "Not verified: nobody answered the push in time.",
        "too-soon" => "Nothing was sent: this person was sent one moments ago (by the portal or the console). Send again when the wait is over.",
        "paused" => "Not verified: codes are paused for this person after several wrong ones. Verify with a push instead.",
        "limit" => "Not verified: this person has reached the limit of codes, pushes or attempts. The limits are the same as on the reset pages.",
        "failed" => "Not verified: the check couldn't go on (Okta unavailable or the check ended). Start again.",
        _ => null,
    };

    public bool IsAlarm => Result is "denied" or "timed-out" or "paused" or "limit" or "failed";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return ToStart("ended");
        }

        Current = call;
        Methods = await check.MethodsAsync(call, cancellationToken);
        // An ended check (a denied push ends it, as it ends a reset) shows its result and offers a new one.
        return Methods.Count == 0 && ResultText is null ? ToStart("ended") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return ToStart("ended");
        }

        if (!ModelState.IsValid)
        {
            Current = call;
            Methods = await check.MethodsAsync(call, cancellationToken);
            return Page();
        }

        var result = await check.SendAsync(Agent, call, Choice!, cancellationToken);
        SaveCall(result.Call);
        return result.Outcome switch
        {
            CheckOutcome.CodeSent or CheckOutcome.EnterCode => RedirectToPage("/HelpDesk/Code"),
            CheckOutcome.PushSent => RedirectToPage("/HelpDesk/Push", new { handler = (string?)null }),
            CheckOutcome.TooSoon => RedirectToPage(new { result = "too-soon", wait = Countdown.SecondsUntil(result.AvailableAt, time.GetUtcNow()) }),
            _ => RedirectToPage(new { result = ResultName(result) }),
        };
    }

    /// <summary>The result name of an attempt that ended without verifying.</summary>
    public static string ResultName(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            { Outcome: CheckOutcome.Denied } => "denied",
            { Outcome: CheckOutcome.TimedOut } => "timed-out",
            { Problem: FlowProblem.VerificationPaused or FlowProblem.NetworkPaused } => "paused",
            { Problem: FlowProblem.LimitReached or FlowProblem.SendLimitReached or FlowProblem.PushLimitReached } => "limit",
            _ => "failed",
        };
    }
}
