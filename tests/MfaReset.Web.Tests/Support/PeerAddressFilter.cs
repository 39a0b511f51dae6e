using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// The in-memory test server has no socket, so requests would arrive with no peer address, which no real
/// server produces. This gives each request the address a real connection would have, before anything
/// else runs: loopback, or the address a test names in <see cref="Header"/>.
/// </summary>
public sealed class PeerAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.Remove(Header, out var peer)
                ? IPAddress.Parse(peer.ToString())
                : context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
