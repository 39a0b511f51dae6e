using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Http;

/// <summary>
/// The two cookies of a flow: the flow id and, after verification, the reset token. Both are
/// <c>__Host-</c> session cookies (Secure, HttpOnly, SameSite=Strict, Path=/, no Domain, no expiry).
/// Browsers accept Secure cookies from http://localhost too, so local runs need no certificate.
/// </summary>
public static class FlowCookies
{
    public const string FlowCookieName = "__Host-MfaReset-Flow";
    public const string TokenCookieName = "__Host-MfaReset-Token";

    private static readonly object IssuedFlowItem = new();

    public static string? ReadFlow(HttpRequest request) => Read(request, FlowCookieName);

    public static string? ReadToken(HttpRequest request) => Read(request, TokenCookieName);

    /// <summary>
    /// The flow secret this response hands the browser (a started flow, or the key renewed at verification),
    /// if it hands one: the request's log line names the flow the browser goes on with.
    /// </summary>
    public static string? IssuedFlow(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(IssuedFlowItem, out var secret) ? secret as string : null;
    }

    /// <summary>Sets a new flow cookie and drops any reset token of an earlier flow.</summary>
    public static void StartFlow(HttpResponse response, string flowSecret)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Append(FlowCookieName, flowSecret, Options());
        response.Cookies.Delete(TokenCookieName, Options());
        response.HttpContext.Items[IssuedFlowItem] = flowSecret;
    }

    /// <summary>After verification: the rotated flow cookie and the reset token.</summary>
    public static void Verified(HttpResponse response, VerifiedCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(credentials);
        response.Cookies.Append(FlowCookieName, credentials.FlowSecret, Options());
        response.HttpContext.Items[IssuedFlowItem] = credentials.FlowSecret;
        if (credentials.ResetToken is { } token)
        {
            response.Cookies.Append(TokenCookieName, token, Options());
        }
        else
        {
            response.Cookies.Delete(TokenCookieName, Options());
        }
    }

    /// <summary>Where a verified person goes: the password page, or for an unlock the done page.</summary>
    public static string PageAfterVerification(VerifiedCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return credentials.SecondMethodNeeded ? "/Reset/ChooseFactor" : credentials.ResetToken is null ? "/Reset/Done" : "/Reset/ChangePassword";
    }

    /// <summary>The password was changed: the token is dropped, the flow cookie stays so the done page can tell it was this browser's reset.</summary>
    public static void Completed(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(TokenCookieName, Options());
    }

    /// <summary>Ends the flow in this browser.</summary>
    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(FlowCookieName, Options());
        response.Cookies.Delete(TokenCookieName, Options());
    }

    private static string? Read(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies.TryGetValue(name, out var value) && FlowSecrets.IsWellFormed(value) ? value : null;
    }

    private static CookieOptions Options() => new()
    {
        Secure = true,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        IsEssential = true,
    };
}
