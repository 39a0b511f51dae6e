using System.Net;

namespace MfaReset.LoadTest.Browser;

/// <summary>
/// The cookies of one browser. Browsers treat loopback as a secure context, so <c>Secure</c> and
/// <c>__Host-</c> cookies set over http://127.0.0.1 are kept and sent back; <see cref="CookieContainer"/>
/// would drop them over http, so loopback addresses are looked up as https. Tabs of one browser share
/// the jar, so it takes a lock.
/// </summary>
internal sealed class CookieJar
{
    private readonly Lock _gate = new();
    private readonly CookieContainer _container = new();

    /// <summary>Keeps the cookies a response set.</summary>
    public void Store(Uri url, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var headers))
        {
            return;
        }

        var view = SecureView(url);
        lock (_gate)
        {
            foreach (var header in headers)
            {
                _container.SetCookies(view, header);
            }
        }
    }

    /// <summary>The Cookie header a browser sends to <paramref name="url"/>, or empty.</summary>
    public string HeaderFor(Uri url)
    {
        lock (_gate)
        {
            return _container.GetCookieHeader(SecureView(url));
        }
    }

    /// <summary>A jar of its own holding the same cookies now: another browser given this one's cookies.</summary>
    public CookieJar Copy()
    {
        var copy = new CookieJar();
        lock (_gate)
        {
            foreach (Cookie cookie in _container.GetAllCookies())
            {
                copy._container.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain)
                {
                    Secure = cookie.Secure,
                    HttpOnly = cookie.HttpOnly,
                    Expires = cookie.Expires,
                });
            }
        }

        return copy;
    }

    private static Uri SecureView(Uri url) =>
        url.IsLoopback && url.Scheme == Uri.UriSchemeHttp
            ? new UriBuilder(url) { Scheme = Uri.UriSchemeHttps }.Uri
            : url;
}
