using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace MfaReset.Browser.Tests.Support;

/// <summary>One rule axe-core found broken on a page, with the elements that break it.</summary>
public sealed record AxeViolation(string Rule, string Impact, string Help, IReadOnlyList<string> Elements);

/// <summary>
/// Runs axe-core inside a page and fails on <c>serious</c> or <c>critical</c> violations, listing each
/// rule and element so the failure reads without opening a report. Lesser findings are printed and kept
/// in the run's <see cref="AxeLedger"/>.
/// </summary>
public sealed class AxeChecker(string axeScript, AxeLedger ledger, ITestOutputHelper output, Func<IPage, ScriptSwitch?> scriptSwitch)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    // Runs through the DevTools protocol, so the page's CSP does not stop it.
    private const string RunAxe = """
        async () => {
          const result = await axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map(v => ({
            rule: v.id,
            impact: v.impact ?? 'unknown',
            help: v.help,
            elements: v.nodes.map(n => n.target.join(' ') + '  ' + n.html.slice(0, 200)),
          }));
        }
        """;

    /// <summary>Checks the page as it is now; <paramref name="pageName"/> and <paramref name="state"/> name it in the ledger.</summary>
    public async Task AssertNoSeriousViolationsAsync(IPage page, string pageName, string state)
    {
        var found = await RunAsync(page).WaitAsync(TimeSpan.FromMinutes(1));
        var violations = found.EnumerateArray().Select(Parse).ToList();
        state = scriptSwitch(page) is null ? state : $"{state}, scripts off";
        ledger.Record(pageName, state, violations);
        foreach (var v in violations)
        {
            output.WriteLine($"axe {pageName} ({state}): {v.Impact} {v.Rule}: {v.Help}");
        }

        var blocking = violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, $"axe-core found serious or critical problems on {pageName} ({state}):\n{Describe(blocking)}");
    }

    private async Task<JsonElement> RunAsync(IPage page)
    {
        async Task<JsonElement> Run()
        {
            if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
            {
                await page.EvaluateAsync(axeScript);
            }

            return await page.EvaluateAsync<JsonElement>(RunAxe);
        }

        // axe-core needs timers, which do not fire while a page's scripts are off.
        return scriptSwitch(page) is { } scripts ? await scripts.WhileOnAsync(Run) : await Run();
    }

    private static AxeViolation Parse(JsonElement v) => new(
        v.GetProperty("rule").GetString()!,
        v.GetProperty("impact").GetString()!,
        v.GetProperty("help").GetString()!,
        v.GetProperty("elements").EnumerateArray().Select(e => e.GetString()!).ToList());

    private static string Describe(IEnumerable<AxeViolation> violations)
    {
        var text = new StringBuilder();
        foreach (var v in violations)
        {
            text.AppendLine($"- [{v.Impact}] {v.Rule}: {v.Help}");
            foreach (var element in v.Elements)
            {
                text.AppendLine($"    {element}");
            }
        }

        return text.ToString();
    }
}

/// <summary>Every axe-core result of the run, written out as a table when the run ends.</summary>
public sealed class AxeLedger
{
    private static readonly string[] Impacts = ["critical", "serious", "moderate", "minor"];
    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Page, string State), List<AxeViolation>> _results = [];

    internal void Record(string page, string state, IReadOnlyList<AxeViolation> violations)
    {
        lock (_gate)
        {
            // The same page and state checked twice keeps the worse result.
            if (!_results.TryGetValue((page, state), out var known) || known.Count < violations.Count)
            {
                _results[(page, state)] = [.. violations];
            }
        }
    }

    /// <summary>A Markdown table: one row per page and state, violations counted by impact, rule ids listed.</summary>
    public string Summary()
    {
        var text = new StringBuilder("| page | state | critical | serious | moderate | minor | rules |\n|---|---|---|---|---|---|---|\n");
        lock (_gate)
        {
            foreach (var ((page, state), violations) in _results)
            {
                var counts = Impacts.Select(i => violations.Count(v => v.Impact == i).ToString());
                var rules = string.Join(", ", violations.Select(v => $"{v.Rule} ({v.Impact})"));
                text.AppendLine($"| {page} | {state} | {string.Join(" | ", counts)} | {rules} |");
            }
        }

        return text.ToString();
    }

    internal void WriteSummary(string path) => File.WriteAllText(path, Summary());
}
