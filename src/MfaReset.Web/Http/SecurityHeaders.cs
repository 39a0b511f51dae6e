using System.Security.Cryptography;
using MfaReset.Web.Reset.Audit;

namespace MfaReset.Web.Http;

/// <summary>
/// Security headers on every response, error pages included: a CSP whose scripts need the
/// per-request nonce (so no inline script runs), no framing, no referrer, no caching of dynamic
/// responses. Also refuses cross-site state-changing requests (Fetch Metadata / Origin) as defence in
/// depth behind antiforgery.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "MfaReset.CspNonce";

    /// <summary>The CSP nonce of this request, for <c>&lt;script nonce&gt;</c>.</summary>
    public static string CspNonce(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceKey] is not string nonce)
        {
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = context.CspNonce();
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'nonce-{nonce}'; style-src 'self'; img-src 'self'; font-src 'self'; " +
                "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (!IsStaticAsset(context))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    });

    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && IsCrossSite(context.Request))
        {
            var origin = RequestOrigin.Of(context);
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityHeaders))
                .CrossSiteRefused(origin, AuditLog.Encoded(context.Request.Path.Value),
                    AuditLog.Encoded(context.Request.Headers["Sec-Fetch-Site"].ToString()),
                    AuditLog.Encoded(context.Request.Headers.Origin.ToString()));
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next(context).ConfigureAwait(false);
    });

    private static bool IsCrossSite(HttpRequest request)
    {
        // Fetch metadata first: with our Referrer-Policy: no-referrer, browsers send "Origin: null" even on
        // same-origin posts, so Origin only decides for browsers that send no Sec-Fetch-Site.
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return !(string.Equals(fetchSite, "same-origin", StringComparison.OrdinalIgnoreCase)
                || string.Equals(fetchSite, "none", StringComparison.OrdinalIgnoreCase));
        }

        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        // Authority only: behind a TLS-terminating proxy the scheme the app sees differs from the browser's.
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsStaticAsset(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/css") || context.Request.Path.StartsWithSegments("/js") || context.Request.Path.StartsWithSegments("/img");
}
