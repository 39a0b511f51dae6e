using System.Globalization;
using System.Threading.RateLimiting;
using MfaReset.Web.Hosting;
using MfaReset.Web.Reset.Audit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;

namespace MfaReset.Web.Http;

/// <summary>
/// A global concurrency limiter in front of the pages (ASP.NET Core's rate-limiting middleware): at most
/// <see cref="ConcurrencyOptions.MaxConcurrentRequests"/> requests at once, <see cref="ConcurrencyOptions.QueueLimit"/>
/// more waiting, oldest first. Beyond that a request is refused before any page, store or Okta work with
/// 503 and <c>Retry-After</c> (not the middleware's bare 503), and the error page it is re-executed to
/// shows the busy text. Health probes and that error page are never refused: an instance under a flood
/// stays alive to its orchestrator, and the refusal is always explained.
/// </summary>
public static partial class RequestConcurrencyLimit
{
    /// <summary>Set on a refused request, with the seconds of its <c>Retry-After</c>, so the error page says "busy".</summary>
    public const string RefusedItem = "MfaReset.ConcurrencyRefused";

    private const string Pages = "pages";

    public static IServiceCollection AddRequestConcurrencyLimit(this IServiceCollection services)
    {
        services.AddValidatedOptions<ConcurrencyOptions, ConcurrencyOptionsValidator>(ConcurrencyOptions.SectionName);
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ConcurrencyOptions>>((limiter, concurrency) =>
        {
            var limits = concurrency.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsExempt(context)
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : RateLimitPartition.GetConcurrencyLimiter(Pages, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.MaxConcurrentRequests,
                    QueueLimit = limits.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            limiter.OnRejected = (rejected, _) =>
            {
                var seconds = (int)Math.Ceiling(limits.RetryAfter.TotalSeconds);
                rejected.HttpContext.Items[RefusedItem] = seconds;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var origin = RequestOrigin.Of(rejected.HttpContext);
                Log.Refused(
                    rejected.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestConcurrencyLimit)),
                    AuditLog.Encoded(rejected.HttpContext.Request.Path.Value), limits.MaxConcurrentRequests, origin.ClientIp, origin.UserAgent);
                // No body: the friendly error pages re-execute the request to the error page, which is exempt.
                return ValueTask.CompletedTask;
            };
        });
        return services.AddRateLimiter(_ => { });
    }

    /// <summary>After the error pages (so a refusal is re-executed to one) and before anything that costs a store or Okta call.</summary>
    public static IApplicationBuilder UseRequestConcurrencyLimit(this IApplicationBuilder app) => app.UseRateLimiter();

    private static bool IsExempt(HttpContext context) =>
        context.Features.Get<IStatusCodeReExecuteFeature>() is not null
        || context.Features.Get<IExceptionHandlerPathFeature>() is not null
        || PortalHealth.IsProbe(context.Request.Path);

    private static partial class Log
    {
        [LoggerMessage(1230, LogLevel.Warning, "Request refused, the instance is at its limit of requests at once: path {Path}, limit {Limit}, client {ClientIp}, agent {UserAgent}")]
        public static partial void Refused(ILogger logger, string path, int limit, string clientIp, string userAgent);
    }
}
