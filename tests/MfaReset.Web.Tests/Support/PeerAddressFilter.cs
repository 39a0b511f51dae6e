using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// The in-memory test server has no socket, so requests would arrive with no peer address, which no real
/// server produces. This gives each request the address a real connection would have, before anything
/// else runs: loopback, or the address a test names in <see cref="Header"/>. A test names the server port
/// the connection arrived on (the connection's local port, 0 otherwise) in <see cref="LocalPortHeader"/>.
/// </summary>
public sealed class PeerAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public const string LocalPortHeader = "X-Test-Local-Port";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.Remove(Header, out var peer)
                ? IPAddress.Parse(peer.ToString())
                : context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
            if (context.Request.Headers.Remove(LocalPortHeader, out var localPort))
            {
                context.Connection.LocalPort = int.Parse(localPort.ToString(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
