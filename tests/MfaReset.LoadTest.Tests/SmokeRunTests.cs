using MfaReset.LoadTest.Reporting;

namespace MfaReset.LoadTest.Tests;

/// <summary>
/// The driver's smoke mode, as CI runs it: a few users for a few seconds against the real portal and
/// sandbox in this process. Asserts outcomes and counts only; the times it prints are not judged here.
/// </summary>
public sealed class SmokeRunTests
{
    [Fact]
    public async Task SmokeRunCompletesEveryResetWithoutServerErrorsAndWithinOktaCallBudgets()
    {
        var folder = Directory.CreateTempSubdirectory("loadtest-smoke-");
        try
        {
            using var output = new StringWriter();
            var report = await LoadDriver.RunAsync(
                DriverOptions.Parse(["--mode", "smoke", "--out", folder.FullName]), output, CancellationToken.None);

            // Every virtual user's reset completed and no response was a 5xx.
            Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Failures));
            Assert.Equal(["1", "2", "3", "6", "4", "5", "8"], report.Figures.Select(f => f.Id));
            Assert.All(Rows(report, "2").Where(r => r.Label.EndsWith("completed resets/s", StringComparison.Ordinal)),
                row => Assert.True(row.Median > 0, $"{row.Label}: no reset completed"));

            // Okta calls per reset, counted by the sandbox: within the targets when the portal neither
            // revokes sessions, checks admin roles nor reads the org's recovery rules, and exactly three calls more
            // with the default: roles, revoke, and the person's groups (the sandbox's help-desk policy is scoped to
            // a group; the policies and rules themselves are cached, so they cost a reset nothing once read).
            foreach (var kind in new[] { "SMS", "voice", "TOTP", "push, besides polls" })
            {
                var lean = Row(report, "1", kind + LoadDriver.LeanSuffix);
                Assert.True(lean.Met, $"{kind}: {lean.Median} Okta calls per reset, target {lean.Target}");
                Assert.Equal(lean.Median + 3, Row(report, "1", kind).Median);
            }

            Assert.True(Rows(report, "1").Single(r => r.Label.StartsWith("push: Okta polls beyond", StringComparison.Ordinal)).Met);
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("Okta polls per flow beyond", StringComparison.Ordinal)).Met);

            // Two instances on one PostgreSQL store (./test.sh sets MFARESET_TEST_POSTGRES), counted by the sandbox:
            // one password set per token, the per-person send limit and no Okta call for a refused send, one
            // Okta poll per started interval for a push polled through both; and resets spread over both complete.
            var twoInstances = Rows(report, "8").ToList();
            var guarantees = twoInstances.Where(r => r.Target is not null).ToList();
            Assert.Equal(5, guarantees.Count);
            Assert.All(guarantees, row => Assert.True(row.Met, $"{row.Label}: {row.Median} {row.Unit}, target {row.Target}"));
            Assert.All(twoInstances.Where(r => r.Label.EndsWith("completed resets/s", StringComparison.Ordinal)),
                row => Assert.True(row.Median > 0, $"{row.Label}: no reset completed"));
            Assert.True(File.Exists(Path.Combine(folder.FullName, "latest.json")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<FigureRow> Rows(BenchmarkReport report, string figure) =>
        report.Figures.Single(f => f.Id == figure).Rows;

    private static FigureRow Row(BenchmarkReport report, string figure, string label) =>
        Rows(report, figure).Single(r => r.Label == label);
}
