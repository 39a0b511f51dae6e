using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace MfaReset.Web.Infrastructure;

/// <summary>Logs failed antiforgery checks (a security event); the 400 itself comes from the framework.</summary>
internal sealed class AntiforgeryFailureLogger(ILogger<AntiforgeryFailureLogger> logger) : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            logger.AntiforgeryFailed(AuditLog.Safe(context.HttpContext.Request.Path), context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "-");
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
