using Microsoft.AspNetCore.Diagnostics;

namespace MfaReset.Web.Infrastructure;

/// <summary>
/// Friendly pages for exceptions and bare error statuses (a failed antiforgery check, 404, ...). The
/// error page is re-executed as a GET whatever the original method, so it needs no antiforgery
/// exemption and a failed POST is never replayed. Every 5xx answer writes one log line carrying the
/// Reference its page shows (<see cref="ReferenceOf"/>), so the help desk can find it.
/// </summary>
public static class ErrorPages
{
    /// <summary>The reference shown on an error page and written on the request's log lines: the request id.</summary>
    public static string ReferenceOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.TraceIdentifier;
    }

    public static IApplicationBuilder UseFriendlyErrorPages(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
            {
                var origin = RequestOrigin.Of(context);
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorPages)).RequestFailed(
                    AuditLog.Encoded(context.Request.Method), AuditLog.Encoded(context.Request.Path.Value), context.Response.StatusCode,
                    ReferenceOf(context), origin.ClientIp, origin.UserAgent);
            }
        });
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        return app.Use(async (context, next) =>
        {
            var reExecuted = context.Features.Get<IStatusCodeReExecuteFeature>() is not null
                || context.Features.Get<IExceptionHandlerPathFeature>() is not null;
            if (!reExecuted || HttpMethods.IsGet(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var method = context.Request.Method;
            context.Request.Method = HttpMethods.Get;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                context.Request.Method = method;
            }
        });
    }
}
