namespace MfaReset.Web.Pages.Bench;

/// <summary>The load driver's yardstick; 404 unless <see cref="BenchmarkOptions.BaselinePage"/> is on.</summary>
public sealed class BaselineModel(IOptions<BenchmarkOptions> options) : PageModel
{
    public IActionResult OnGet() => options.Value.BaselinePage ? Page() : NotFound();
}
