namespace MfaReset.Web.Http;

/// <summary>
/// A cookie builder that always sets Secure, whatever the request scheme. The antiforgery cookie is a
/// <c>__Host-</c> cookie, which browsers accept only with Secure; with
/// <see cref="CookieSecurePolicy.Always"/> the antiforgery system refuses plain-http requests outright,
/// which would break <c>dotnet run</c> on http://localhost (a secure context for browsers). Over
/// plain http to any other host the browser drops the cookie, so forms fail closed.
/// </summary>
public sealed class AlwaysSecureCookieBuilder : CookieBuilder
{
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = true;
        return options;
    }
}
