namespace MfaReset.Web.Pages.Bench;

/// <summary>
/// The same yardstick without the antiforgery check: the difference between the two is what the check costs a poll.
/// 404 unless <see cref="BenchmarkOptions.BaselinePage"/> is on.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class PollWithoutAntiforgeryModel(IOptions<BenchmarkOptions> options) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost() => options.Value.BaselinePage ? BenchPoll.Pending : NotFound();
}
