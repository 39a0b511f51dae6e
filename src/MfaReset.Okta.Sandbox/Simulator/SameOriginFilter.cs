namespace MfaReset.Okta.Sandbox.Simulator;

/// <summary>
/// Refuses state-changing simulator requests sent by other sites' pages: a page elsewhere must not
/// approve a push or reset the org through the visitor's browser. Programs (tests, load drivers) send
/// neither <c>Origin</c> nor <c>Sec-Fetch-Site</c> and pass.
/// </summary>
internal static class SameOriginFilter
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || IsSameOrigin(request))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(TypedResults.StatusCode(StatusCodes.Status403Forbidden));
    }

    private static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (string.Equals(origin, "null", StringComparison.Ordinal))
        {
            // Chromium sends "Origin: null" for a form post from a page with a no-referrer policy; its
            // Sec-Fetch-Site still says where the post came from. Without that, "null" proves nothing.
            return fetchSite is "same-origin";
        }

        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
