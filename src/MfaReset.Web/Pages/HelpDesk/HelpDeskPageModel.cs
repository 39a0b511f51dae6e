using MfaReset.Web.HelpDesk;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>
/// A console page: the signed-in agent (the folder's policy has admitted them) and the call they are on, read
/// from the call cookie of this agent's session only.
/// </summary>
public abstract class HelpDeskPageModel(CallCookie calls) : PageModel
{
    /// <summary>The agent; every console page but the sign-in ones requires one (HelpDeskSetup's policy).</summary>
    public Agent Agent => Agent.Of(User) ?? throw new InvalidOperationException("A console page ran without a signed-in agent.");

    /// <summary>The call in this session's call cookie, or null.</summary>
    protected CallRecord? Call => calls.Read(Request, Agent);

    protected void SaveCall(CallRecord call) => calls.Write(Response, Agent, call);

    /// <summary>Back to the console's start with a notice (only known notice names are shown).</summary>
    protected RedirectToPageResult ToStart(string notice) => RedirectToPage("/HelpDesk/Index", new { notice });
}
