using MfaReset.Web.Reset.Audit;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MfaReset.Web.Http;

/// <summary>Logs failed antiforgery checks (a security event); the 400 itself comes from the framework.</summary>
internal sealed class AntiforgeryFailureLogger(ILogger<AntiforgeryFailureLogger> logger) : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var origin = RequestOrigin.Of(context.HttpContext);
            logger.AntiforgeryFailed(origin, AuditLog.Safe(context.HttpContext.Request.Path));
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
