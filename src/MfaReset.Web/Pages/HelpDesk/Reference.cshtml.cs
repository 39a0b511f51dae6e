using MfaReset.Web.HelpDesk;
using MfaReset.Web.Reset.Audit;

namespace MfaReset.Web.Pages.HelpDesk;

/// <summary>A reference from a portal problem page: which problem, when, and the flow it ended (if still kept). Audited.</summary>
public sealed class ReferenceModel(ProblemReferences references, IFlowHistory history, CallCookie calls, ILogger<ReferenceModel> logger) : HelpDeskPageModel(calls)
{
    [BindProperty(SupportsGet = true, Name = "reference")]
    public string? Reference { get; set; }

    public ProblemReference? Found { get; private set; }

    public FlowSummary? Flow { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Reference = Reference?.Trim();
        Found = string.IsNullOrEmpty(Reference) ? null : await references.FindAsync(Reference, cancellationToken);
        if (Found?.FlowPublicId is { } publicId && await history.FlowByPublicIdAsync(publicId, cancellationToken) is { } flow)
        {
            Flow = FlowSummary.Of(flow);
        }

        var origin = RequestOrigin.Of(HttpContext);
        logger.ReferenceLookedUp(Agent.Id, Agent.Login, AuditLog.Safe(Reference, 64), Found is null ? "not-found" : Flow is null ? "found" : "found-with-flow", origin.ClientIp);
        if (Found is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
