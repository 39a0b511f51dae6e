using MfaReset.Web.Hosting;
using MfaReset.Web.Http;
using MfaReset.Web.Reset.Audit;
using Microsoft.AspNetCore.Diagnostics;

namespace MfaReset.Web.Pages;

/// <summary>
/// The last-resort error page (exceptions and bare status codes): generic text and a reference, nothing
/// else. The status comes from the route only: the failed request's own form may be unreadable.
/// </summary>
public sealed class ErrorModel(ILogger<ErrorModel> logger) : PageModel
{
    public int Code { get; private set; }

    public string Reference { get; private set; } = string.Empty;

    /// <summary>The failed request's form could not be decoded (see <see cref="RequestRefusals.UseReadableForms"/>).</summary>
    public bool UnreadableForm { get; private set; }

    /// <summary>Seconds until retrying makes sense when the instance refused the request for being at its limit of requests at once (<see cref="RequestConcurrencyLimit"/>).</summary>
    public int? BusyRetryAfterSeconds { get; private set; }

    public void OnGet([FromRoute] int? code)
    {
        Code = code is >= 400 and <= 599 ? code.Value : StatusCodes.Status500InternalServerError;
        Response.StatusCode = Code;
        Reference = ErrorReference.Of(HttpContext);
        UnreadableForm = HttpContext.Items.ContainsKey(RequestRefusals.UnreadableFormItem);
        if (Code == StatusCodes.Status503ServiceUnavailable && HttpContext.Items[RequestConcurrencyLimit.RefusedItem] is int seconds)
        {
            BusyRetryAfterSeconds = seconds;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (HttpContext.Features.Get<IExceptionHandlerPathFeature>() is { Error: { } error } failed)
        {
            logger.Unhandled(error, AuditLog.Encoded(failed.Path), Reference);
        }
    }

    public (string Title, string Text) Describe() => Code switch
    {
        StatusCodes.Status400BadRequest when UnreadableForm => ("This form couldn't be read", "What was sent contained characters that can't be part of a username, a code or a password, such as control characters. Go back, type it again, and send the form once more."),
        StatusCodes.Status400BadRequest => ("This request couldn't be handled", "The form may have been open for too long, or cookies may be blocked. Please start again."),
        StatusCodes.Status403Forbidden => ("This request was refused", "Please start again from this site."),
        StatusCodes.Status404NotFound => ("Page not found", "The address may be wrong, or the page has moved."),
        StatusCodes.Status405MethodNotAllowed => ("This page can't be used that way", "This address only answers the requests a browser makes from this site's pages. Please start again from the first page."),
        StatusCodes.Status429TooManyRequests => ("Too many requests", "Please wait a minute, then try again."),
        StatusCodes.Status503ServiceUnavailable when BusyRetryAfterSeconds is not null => ("The service is busy", "The service is busy right now. Please try again in {0}."),
        >= 500 => ("Something went wrong", "Sorry, something went wrong on our side. Please try again in a few minutes."),
        _ => ("This request couldn't be handled", "Please start again."),
    };
}
