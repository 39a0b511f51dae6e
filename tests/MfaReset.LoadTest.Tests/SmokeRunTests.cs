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
                DriverOptions.Parse(["--mode", "smoke", "--figures", "1,2,3,4,5,6,8,9", "--out", folder.FullName]), output, TestContext.Current.CancellationToken);

            // Every virtual user's reset completed and no response was a 5xx.
            Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Failures));
            Assert.Equal(["1", "2", "3", "6", "4", "9", "5", "8"], report.Figures.Select(f => f.Id));
            Assert.All(Rows(report, "2").Where(r => r.Label.EndsWith("completed resets/s", StringComparison.Ordinal)),
                row => Assert.True(row.Median > 0, $"{row.Label}: no reset completed"));

            // Okta calls per reset, counted by the sandbox: Okta's floor (the lean targets) when the portal
            // neither revokes sessions, checks admin roles nor reads the org's recovery rules (the set names the start
            // read's ETag in If-Match, so no read of the user comes before it), and
            // with the defaults exactly one more, the session revocation: the admin check reads the org's list of
            // administrators for everyone (no call per reset) and an org whose first password policy is Everyone's
            // needs no group read. Where the first policy names a group (the sandbox's help-desk policy), one more:
            // the person's groups.
            foreach (var kind in new[] { "SMS", "voice", "TOTP", "push, besides polls" })
            {
                var lean = Row(report, "1", kind + LoadDriver.LeanSuffix);
                Assert.True(lean.Met, $"{kind}: {lean.Median} Okta calls per reset, target {lean.Target}");
                Assert.Equal(lean.Median + 1, Row(report, "1", kind).Median);
                Assert.Equal(lean.Median + 2, Row(report, "1", kind + LoadDriver.GroupPolicySuffix).Median);
            }

            Assert.True(Rows(report, "1").Single(r => r.Label.StartsWith("push: Okta polls beyond", StringComparison.Ordinal)).Met);
            // Figure 4, the portal in its own process: polls between intervals cost no Okta call and no store write
            // (their flow's or the per-client limit's), and the portal's memory was read from its process.
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("Okta polls per flow beyond", StringComparison.Ordinal)).Met);
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("Okta calls per poll between intervals", StringComparison.Ordinal)).Met);
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("flow store writes per poll between intervals", StringComparison.Ordinal)).Met);
            // The poll clock's stamp (which holds the flow's method while Okta answers) and the hold's end.
            Assert.Equal(2, Rows(report, "4").Single(r => r.Label.Contains("flow store writes per interval-due poll", StringComparison.Ordinal)).Median);
            // The poll's per-IP limit is counted in the portal's memory: no event in the store per poll.
            var limiterWrites = Rows(report, "4").Single(r => r.Label.Contains("per-client limit's store writes per poll", StringComparison.Ordinal));
            Assert.True(limiterWrites.Met, $"{limiterWrites.Median} store writes per poll for the per-client limit");
            Assert.Equal(0, limiterWrites.Median);
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("portal process working set", StringComparison.Ordinal)).Median > 0);
            Assert.True(Rows(report, "4").Single(r => r.Label.Contains("portal live managed heap", StringComparison.Ordinal)).Median > 0);

            // Figure 9: the push poll, the bare endpoint with the same middleware and the one without antiforgery each
            // answered every poll offered (200s only, or the run fails), and the portal's CPU per poll was read from its process.
            Assert.All(Rows(report, "9").Where(r => r.Label.Contains("answered per second (offered", StringComparison.Ordinal)),
                row => Assert.True(row.Median > 0, $"{row.Label}: nothing answered"));
            Assert.Equal(3, Rows(report, "9").Count(r => r.Label.EndsWith("portal CPU per 1,000 answered", StringComparison.Ordinal)));
            Assert.Single(Rows(report, "9"), r => r.Label == "push poll ÷ bare endpoint, answered per second");

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

    [Fact]
    public async Task SmokeRunOfThePostgreSqlStoreCompletesEveryResetWithTheListedStatementsAndARowLevelSweep()
    {
        var postgres = Environment.GetEnvironmentVariable("MFARESET_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("MFARESET_TEST_POSTGRES is not set. Run ./test.sh, which starts a local PostgreSQL and sets it.");
        var folder = Directory.CreateTempSubdirectory("loadtest-smoke-pg-");
        try
        {
            using var output = new StringWriter();
            var report = await LoadDriver.RunAsync(
                DriverOptions.Parse(["--mode", "smoke", "--figures", "7", "--postgres", postgres, "--out", folder.FullName]), output, TestContext.Current.CancellationToken);

            // Every reset on both stores completed and no response was a 5xx.
            Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Failures));
            var rows = Rows(report, "7").ToList();
            foreach (var store in new[] { "in-memory", "PostgreSQL" })
            {
                Assert.All(rows.Where(r => r.Label.EndsWith($": {store} completed resets/s", StringComparison.Ordinal)),
                    row => Assert.True(row.Median > 0, $"{row.Label}: no reset completed"));
            }

            // Counted exactly, one reset at a time: each kind sends the statements the README lists, no more and no fewer.
            foreach (var kind in new[] { "SMS", "TOTP code", "push" })
            {
                var statements = Row(report, "7", $"{kind}: statements per completed reset");
                Assert.True(statements.Median > 0, $"{kind}: no statement counted");
                Assert.Equal(statements.Target!.Bound, statements.Median);
                var roundTrips = Row(report, "7", $"{kind}: round trips per completed reset").Median;
                Assert.True(roundTrips <= statements.Median);
                // Per page, so a change shows which step it saved a round trip on; the pages add up to the reset.
                Assert.Equal(roundTrips, rows.Where(r => r.Label.StartsWith($"{kind}, `", StringComparison.Ordinal) && r.Label.EndsWith(": round trips per reset", StringComparison.Ordinal)).Sum(r => r.Median), 6);
            }

            Assert.Equal(1, Row(report, "7", "push: polls of the waiting page per reset").Median);
            Assert.True(rows.Single(r => r.Label.EndsWith("bytes per pending flow", StringComparison.Ordinal) && r.Label.Contains("all three tables", StringComparison.Ordinal)).Median > 0);
            // The sweep takes no relation lock stronger than RowExclusiveLock, and its plans are in the notes.
            Assert.Equal(0, Row(report, "7", "cleanup: relation locks stronger than RowExclusiveLock taken by a sweep batch").Median);
            var notes = report.Figures.Single(f => f.Id == "7").Notes;
            Assert.Equal(3, notes.Count(n => n.StartsWith("Cleanup of ", StringComparison.Ordinal) && n.Contains("plan", StringComparison.Ordinal)));
            Assert.Contains(notes, n => n.StartsWith("Cleanup of flows, locks", StringComparison.Ordinal) && n.Contains("flows RowExclusiveLock", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SmokeRunOfLongPushWaitsIsAcceptedAgainstTheSandboxAndSaysWhatThePortalsWorkingSetIsMadeOf()
    {
        var folder = Directory.CreateTempSubdirectory("loadtest-smoke-pushes-");
        try
        {
            using var output = new StringWriter();
            var report = await LoadDriver.RunAsync(
                DriverOptions.Parse(["--mode", "smoke", "--figures", "4", "--long-push-waits", "--portal-env", "DOTNET_GCConserveMemory=5", "--out", folder.FullName]),
                output, TestContext.Current.CancellationToken);

            // The portal started with the switch (it refuses it with a real org), every flow stayed pending, no 5xx.
            Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Failures));
            var figure = report.Figures.Single(f => f.Id == "4");
            Assert.Contains(figure.Notes, n => n.Contains("with Benchmark:LongPushWaits", StringComparison.Ordinal) && n.Contains("up to 60 min", StringComparison.Ordinal));
            // What the working set is made of, idle and with the flows: the GC's committed memory and heap, the rest of
            // the anonymous memory and what is mapped from files, each read from the portal's own process.
            foreach (var when in new[] { "idle portal before them", "portal at the end of the wait" })
            {
                foreach (var part in new[] { "working set", "GC committed", "GC heap size", "mapped from files", "shared memory" })
                {
                    var row = Assert.Single(figure.Rows, r => r.Label.StartsWith($"20 flows: {when}: {part}", StringComparison.Ordinal));
                    Assert.True(row.Median > 0, $"{row.Label}: {row.Median}");
                }

                Assert.Single(figure.Rows, r => r.Label.StartsWith($"20 flows: {when}: anonymous memory besides the GC's", StringComparison.Ordinal));
                // The same memory by mapping, and what the JIT and Kestrel's memory pool hold.
                foreach (var part in new[] { "by mapping: JIT-compiled code", "by mapping: the runtime's loader heaps", "by mapping: managed assemblies",
                    "by mapping: native libraries", "by mapping: other anonymous memory", "pinned object heap", "methods compiled by the JIT" })
                {
                    var row = Assert.Single(figure.Rows, r => r.Label.StartsWith($"20 flows: {when}: {part}", StringComparison.Ordinal));
                    Assert.True(row.Median > 0, $"{row.Label}: {row.Median}");
                }
            }
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
