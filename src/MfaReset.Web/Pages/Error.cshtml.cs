using MfaReset.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MfaReset.Web.Pages;

/// <summary>The last-resort error page (exceptions and bare status codes): generic text and a reference, nothing else.</summary>
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public string Reference { get; private set; } = string.Empty;

    public void OnGet(int? code)
    {
        Code = code is >= 400 and <= 599 ? code.Value : StatusCodes.Status500InternalServerError;
        Response.StatusCode = Code;
        Reference = ErrorReference.Of(HttpContext);
    }

    public (string Title, string Text) Describe() => Code switch
    {
        StatusCodes.Status400BadRequest => ("This request couldn't be handled", "The form may have been open for too long, or cookies may be blocked. Please start again."),
        StatusCodes.Status403Forbidden => ("This request was refused", "Please start again from this site."),
        StatusCodes.Status404NotFound => ("Page not found", "The address may be wrong, or the page has moved."),
        StatusCodes.Status429TooManyRequests => ("Too many requests", "Please wait a minute, then try again."),
        >= 500 => ("Something went wrong", "Sorry, something went wrong on our side. Please try again in a few minutes."),
        _ => ("This request couldn't be handled", "Please start again."),
    };
}
