namespace MfaReset.Web.Infrastructure;

/// <summary>
/// Per-client-IP limit on state-changing requests, counted in the shared flow store on the portal's
/// clock. Beyond it: 429 with <c>Retry-After</c> (not the framework's default 503) and no Okta call.
/// The same for every username, so it reveals nothing about accounts.
/// </summary>
public static class ClientRateLimit
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IApplicationBuilder UseClientRateLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<ResetOptions>>().Value.Limits.PostsPerMinutePerClient;
            var store = context.RequestServices.GetRequiredService<IFlowStore>();
            // The address as audit events write it: an IPv4 client on a dual-stack socket is one client, not two.
            var origin = RequestOrigin.Of(context);
            if (!await store.TryRecordEventAsync("client:" + origin.ClientIp, [new RateRule(limit, Window)], context.RequestAborted).ConfigureAwait(false))
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientRateLimit))
                    .ClientThrottled(origin.ClientIp, origin.UserAgent, limit);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "60";
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });
}
