using MfaReset.Web.HelpDesk;
using MfaReset.Web.Pages.Reset;
using MfaReset.Web.Reset;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>
/// The push wait: the number the caller must tap, and the answer. With JavaScript the page polls
/// <c>POST /helpdesk/push/status</c> like the reset's push page (same script, coalesced polls); without it,
/// "Check now" asks once.
/// </summary>
public sealed class PushModel(CallerCheck check, CallCookie calls) : HelpDeskPageModel(calls)
{
    public CallRecord Current { get; private set; } = default!;

    public PushStep Step { get; private set; } = default!;

    [BindProperty(SupportsGet = true)]
    public bool Waiting { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call || await check.PushStepAsync(call, cancellationToken) is not { Status: not null } step)
        {
            return RedirectToPage("/HelpDesk/Verify", new { result = "failed" });
        }

        Current = call;
        Step = step;
        return Page();
    }

    /// <summary>The no-script "Check now".</summary>
    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return ToStart("ended");
        }

        var (result, _, _) = await check.CheckPushAsync(Agent, call, poll: false, cancellationToken);
        SaveCall(result.Call);
        return result.Outcome switch
        {
            CheckOutcome.Verified => RedirectToPage("/HelpDesk/Person", new { handler = (string?)null }),
            CheckOutcome.Pending => RedirectToPage(new { handler = (string?)null, waiting = true }),
            _ => RedirectToPage("/HelpDesk/Verify", new { result = VerifyModel.ResultName(result) }),
        };
    }

    /// <summary>The script's poll, answered as the reset's (<see cref="PushStatusResponse"/>).</summary>
    public async Task<IActionResult> OnPostStatusAsync(CancellationToken cancellationToken)
    {
        if (Call is not { } call)
        {
            return NotFound();
        }

        var (result, number, next) = await check.CheckPushAsync(Agent, call, poll: true, cancellationToken);
        SaveCall(result.Call);
        var (state, redirect) = result.Outcome switch
        {
            CheckOutcome.Verified => ("approved", Url.Page("/HelpDesk/Person", new { handler = (string?)null })),
            CheckOutcome.Pending => ("pending", null),
            CheckOutcome.Denied => ("rejected", Url.Page("/HelpDesk/Verify", new { result = "denied" })),
            CheckOutcome.TimedOut => ("expired", Url.Page("/HelpDesk/Verify", new { result = "timed-out" })),
            _ => ("ended", Url.Page("/HelpDesk/Verify", new { result = VerifyModel.ResultName(result) })),
        };
        return new JsonResult(new PushStatusResponse(state, number, (int)next.TotalMilliseconds, redirect), PortalJsonContext.Default.Options);
    }
}
