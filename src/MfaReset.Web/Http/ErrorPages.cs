using Microsoft.AspNetCore.Diagnostics;

namespace MfaReset.Web.Http;

/// <summary>
/// Friendly pages for exceptions and bare error statuses (a failed antiforgery check, 404, ...). The
/// error page is re-executed as a GET whatever the original method, so it needs no antiforgery
/// exemption and a failed POST is never replayed.
/// </summary>
public static class ErrorPages
{
    public static IApplicationBuilder UseFriendlyErrorPages(this IApplicationBuilder app)
    {
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
