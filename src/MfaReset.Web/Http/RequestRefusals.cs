using MfaReset.Web.Reset.Audit;
using Microsoft.AspNetCore.Mvc.Filters;

namespace MfaReset.Web.Http;

/// <summary>
/// Requests the portal refuses before any page logic runs, each with one security event and a 4xx page:
/// a form body the framework cannot decode (a NUL byte, invalid percent-encoding, too many fields),
/// a method or handler the page does not serve, and input that fails validation.
/// </summary>
public static class RequestRefusals
{
    /// <summary>Set on the request when its form could not be read, so the error page can say so.</summary>
    public const string UnreadableFormItem = "MfaReset.UnreadableForm";

    /// <summary>
    /// Reads a posted form once, up front: a body ASP.NET Core cannot decode would otherwise surface
    /// later as an antiforgery failure or, on the error page's own binding, as a 500.
    /// </summary>
    public static IApplicationBuilder UseReadableForms(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.HasFormContentType)
        {
            string? reason = null;
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
                reason = "form-undecodable";
            }
            catch (BadHttpRequestException)
            {
                reason = "form-too-large";
            }

            if (reason is not null)
            {
                var origin = RequestOrigin.Of(context);
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestRefusals))
                    .UnreadableRequest(origin, AuditLog.Encoded(context.Request.Path.Value), reason);
                context.Items[UnreadableFormItem] = true;
                // The error page runs on this same request: let it see an empty form rather than fail again.
                context.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(new Microsoft.AspNetCore.Http.Features.FormFeature(FormCollection.Empty));
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });
}

/// <summary>
/// For every page: a request for a handler or method the page does not serve ends in 405 (404 for an
/// unknown GET handler) instead of rendering the page; input that failed validation is recorded as one
/// security event naming the refused fields with their values encoded and truncated (never a password).
/// </summary>
internal sealed class RequestRefusalFilter(ILogger<RequestRefusalFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var method = http.Request.Method;
        var isRead = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
        if (context.HandlerMethod is null && (!isRead || context.ActionDescriptor.HandlerMethods.Count > 0))
        {
            var origin = RequestOrigin.Of(http);
            logger.MethodNotServed(origin, AuditLog.Encoded(method), AuditLog.Encoded(http.Request.Path.Value));
            if (!isRead)
            {
                http.Response.Headers.Allow = string.Join(", ", AllowedMethods(context.ActionDescriptor.HandlerMethods));
            }

            context.Result = new StatusCodeResult(isRead ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed);
            return;
        }

        // Only a page's main handler acts on its form; a named one (the send step) ignores the bound input.
        if (!context.ModelState.IsValid && context.HandlerMethod?.Name is null)
        {
            var origin = RequestOrigin.Of(http);
            var fields = context.ModelState
                .Where(entry => entry.Value is { ValidationState: Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid })
                .Select(entry => $"{AuditLog.Encoded(entry.Key, 40)}={Described(entry.Key, entry.Value!.AttemptedValue)}");
            logger.InputRefused(origin, AuditLog.Encoded(context.ActionDescriptor.ViewEnginePath), string.Join("; ", fields));
        }

        await next().ConfigureAwait(false);
    }

    /// <summary>
    /// A refused field's value, never quoted: a username or a code may be a secret. Passwords are not even
    /// described (their length would narrow a guess).
    /// </summary>
    private static string Described(string field, string? value) =>
        field.Contains("Password", StringComparison.OrdinalIgnoreCase) ? "(not logged)" : AuditLog.Described(value);

    private static IEnumerable<string> AllowedMethods(IEnumerable<Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.HandlerMethodDescriptor> handlers) =>
        handlers.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Append("HEAD").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
}
