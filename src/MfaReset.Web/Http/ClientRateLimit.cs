using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Storage;

namespace MfaReset.Web.Http;

/// <summary>
/// Per-client-IP limit on state-changing requests, answered 429 with <c>Retry-After</c> (not the
/// framework's default 503) and no Okta call. The same for every username, so it reveals nothing about
/// accounts. Form posts are counted in the shared flow store on the portal's clock, so across instances.
/// The push page's status poll is counted in this instance's memory (<see cref="ClientWindowCounter"/>)
/// instead: a poll between Okta intervals is answered from the flow's cached state, and counting it in
/// the store would make every poll a store write (docs/security-decisions.md, "Push polls per IP").
/// A client is an IPv4 address or an IPv6 /64 (<see cref="ClientKey"/>).
/// </summary>
public static class ClientRateLimit
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>The page whose <c>Status</c> handler is the push poll, as routing names it.</summary>
    private const string PushPage = "/Reset/WaitForPush";

    private const string PushPollHandler = "Status";

    /// <summary>IPv6 networks are counted as one client per this prefix length.</summary>
    public const int Ipv6PrefixLength = 64;

    /// <summary>
    /// Who a request is counted against: the IPv4 address (also when it arrives IPv4-mapped on a dual-stack
    /// socket), or the IPv6 /64 it belongs to, written <c>2001:db8:1:2::/64</c>. One subscriber, one host
    /// behind SLAAC, one VM is normally given a whole /64, so counting single IPv6 addresses would hand one
    /// client 2^64 budgets. "-" when the server has no address.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "-";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(Ipv6PrefixLength / 8)..].Clear();
        return new IPAddress(bytes).ToString() + "/" + Ipv6PrefixLength.ToString(CultureInfo.InvariantCulture);
    }

    public static IServiceCollection AddClientRateLimit(this IServiceCollection services) =>
        services.AddSingleton<ClientWindowCounter>();

    public static IApplicationBuilder UseClientRateLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var limits = context.RequestServices.GetRequiredService<IOptions<ResetOptions>>().Value.Limits;
            var client = ClientKey(context.Connection.RemoteIpAddress);
            var refusal = IsPushPoll(context)
                ? CountPoll(context, client, limits.PollsPerMinutePerClient)
                : await RecordPostAsync(context, client, limits.PostsPerMinutePerClient).ConfigureAwait(false);
            if (refusal is { } refused)
            {
                var origin = RequestOrigin.Of(context);
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientRateLimit))
                    .ClientThrottled(origin, refused.Limit);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = refused.Seconds.ToString(CultureInfo.InvariantCulture);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });

    /// <summary>
    /// Whether Razor Pages will run the push page's <c>OnPostStatus</c> for this request, decided as it
    /// decides: the routed page, then the handler from the route (<c>/reset/push/{handler?}</c>) or else the
    /// first <c>handler</c> query value, in any case. Routing has run by now (the host puts it first), so
    /// every spelling that reaches the poll is recognised; anything not recognised is a form post.
    /// </summary>
    internal static bool IsPushPoll(HttpContext context)
    {
        var route = context.Request.RouteValues;
        if (context.GetEndpoint() is null || !string.Equals(route["page"] as string, PushPage, StringComparison.Ordinal))
        {
            return false;
        }

        var handler = Convert.ToString(route["handler"], CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(handler) && context.Request.Query.TryGetValue("handler", out var fromQuery))
        {
            handler = fromQuery[0];
        }

        return string.Equals(handler, PushPollHandler, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>In this instance's memory, in fixed one-minute windows: no store call, no allocation per client.</summary>
    private static Refusal? CountPoll(HttpContext context, string client, int limit)
    {
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var windowSeconds = (long)Window.TotalSeconds;
        var window = now.ToUnixTimeSeconds() / windowSeconds;
        var count = context.RequestServices.GetRequiredService<ClientWindowCounter>().Increment(client, (uint)window);
        if (count <= limit)
        {
            return null;
        }

        // Until this window ends, when the count starts again.
        var windowEnds = DateTimeOffset.FromUnixTimeSeconds((window + 1) * windowSeconds);
        return new Refusal(limit, Math.Max(1, (int)Math.Ceiling((windowEnds - now).TotalSeconds)));
    }

    /// <summary>
    /// In the shared store, one event per post, so the limit holds across instances. A post that carries a flow cookie
    /// reads that flow in the same round trip, for the request's own first read of it (<see cref="FlowReadAhead"/>).
    /// </summary>
    private static async Task<Refusal?> RecordPostAsync(HttpContext context, string client, int limit)
    {
        var store = context.RequestServices.GetRequiredService<IFlowStore>();
        RateRule[] rules = [new RateRule(limit, Window)];
        var secret = FlowCookies.ReadFlow(context.Request);
        bool recorded;
        if (FlowSecrets.IsWellFormed(secret))
        {
            var key = FlowSecrets.KeyOf(secret!);
            (recorded, var flow) = await store.TryRecordEventAndGetAsync("client:" + client, rules, key, context.RequestAborted).ConfigureAwait(false);
            context.RequestServices.GetRequiredService<FlowReadAhead>().Keep(key, flow);
        }
        else
        {
            recorded = await store.TryRecordEventAsync("client:" + client, rules, context.RequestAborted).ConfigureAwait(false);
        }

        return recorded ? null : new Refusal(limit, (int)Window.TotalSeconds);
    }

    private readonly record struct Refusal(int Limit, int Seconds);
}
