using MfaReset.Web.Pages.Reset;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace MfaReset.Web.Http;

/// <summary>
/// A browser has one flow cookie for all its tabs, so a reset started in a second tab replaces the first
/// tab's. Every flow page's forms carry the public id of the flow they were shown for
/// (<see cref="FlowFormTagHelper"/>); a post whose id is not the cookie's flow came from a replaced tab
/// and is answered with a page saying so, without touching the newer flow.
/// </summary>
public sealed class FlowTabGuard(ResetFlow flow) : IAsyncPageFilter
{
    /// <summary>The hidden form field.</summary>
    public const string FieldName = "__Flow";

    private const string ItemKey = "MfaReset.FlowPublicId";

    private const string PurposeKey = "MfaReset.FlowPurpose";

    /// <summary>The public id of the flow the current page is shown for, if any.</summary>
    public static string? PublicIdFor(HttpContext context) => context?.Items[ItemKey] as string;

    /// <summary>Whether the current page is shown for an unlock (its steps and links differ from a reset's).</summary>
    public static bool IsUnlockFor(HttpContext context) => context?.Items[PurposeKey] is FlowPurpose.Unlock;

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.HandlerInstance is StartPageModel or ProblemModel)
        {
            await next().ConfigureAwait(false); // starting anew is always allowed; problems need no flow
            return;
        }

        var http = context.HttpContext;
        var label = await flow.FlowOfAsync(FlowCookies.ReadFlow(http.Request), http.RequestAborted).ConfigureAwait(false);
        var current = label?.PublicId;
        if (HttpMethods.IsPost(http.Request.Method)
            && http.Request.HasFormContentType
            && (await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false)).TryGetValue(FieldName, out var posted)
            && !string.Equals(posted.ToString(), current, StringComparison.Ordinal))
        {
            var problemUrl = $"/reset/problem/{ProblemPages.SlugOf(FlowProblem.Superseded)}";
            context.Result = string.Equals(context.HandlerMethod?.Name, "Status", StringComparison.Ordinal)
                ? new JsonResult(new PushStatusResponse("ended", null, 0, problemUrl), PortalJsonContext.Default.Options)
                : new RedirectResult(problemUrl);
            return;
        }

        http.Items[ItemKey] = current;
        http.Items[PurposeKey] = label?.Purpose;
        await next().ConfigureAwait(false);
    }
}

/// <summary>Adds the flow's public id to every POST form of a flow page (see <see cref="FlowTabGuard"/>).</summary>
[HtmlTargetElement("form", Attributes = "method")]
public sealed class FlowFormTagHelper(IHttpContextAccessor accessor) : TagHelper
{
    // After the framework's form tag helper, which adds the antiforgery field.
    public override int Order => 100;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Attributes["method"]?.Value?.ToString() is { } method
            && string.Equals(method, "post", StringComparison.OrdinalIgnoreCase)
            && accessor.HttpContext is { } http
            && FlowTabGuard.PublicIdFor(http) is { Length: > 0 } id)
        {
            output.PostContent.AppendHtml($"<input type=\"hidden\" name=\"{FlowTabGuard.FieldName}\" value=\"{id}\">");
        }
    }
}
