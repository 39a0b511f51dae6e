using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Pages.Reset;

/// <summary>Step 1 of a reset: the username. Every input leads to the factor choice, real or not.</summary>
public sealed class ForgotPasswordModel(ResetFlow flow, IOptions<ResetOptions> options) : StartPageModel(flow)
{
    /// <summary>Whether the page links to "Unlock my account".</summary>
    public bool OffersUnlock => options.Value.AllowUnlock;

    protected override FlowPurpose Purpose => FlowPurpose.Reset;

    public void OnGet()
    {
    }
}
