using MfaReset.Web.Pages.Reset;

namespace MfaReset.Web.Pages.Bench;

/// <summary>
/// The push poll's yardstick: a POST through the same middleware, with the same antiforgery check and a JSON
/// answer of the same shape, but no flow, no store and no Okta. 404 unless <see cref="BenchmarkOptions.BaselinePage"/> is on.
/// </summary>
public sealed class PollModel(IOptions<BenchmarkOptions> options) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost() => options.Value.BaselinePage ? BenchPoll.Pending : NotFound();
}

internal static class BenchPoll
{
    /// <summary>What a pending push's poll answers between intervals.</summary>
    public static JsonResult Pending => new(new PushStatusResponse("pending", null, 3000, null), PortalJsonContext.Default.Options);
}
