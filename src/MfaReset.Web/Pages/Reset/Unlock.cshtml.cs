using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Reset;

/// <summary>
/// Step 1 of "Unlock my account": the username, as for a reset. After verification the account is
/// unlocked and no password is set. Not found (404) when <c>Reset:AllowUnlock</c> is off.
/// </summary>
public sealed class UnlockModel(ResetFlow flow, IOptions<ResetOptions> options) : StartPageModel(flow)
{
    protected override FlowPurpose Purpose => FlowPurpose.Unlock;

    public IActionResult OnGet() => options.Value.AllowUnlock ? Page() : NotFound();
}
