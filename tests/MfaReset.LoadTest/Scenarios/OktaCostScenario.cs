using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 1: the Okta calls one completed reset costs, per factor kind, counted by the sandbox per user.
/// Resets run one after the other, each for a user of its own, so every count belongs to one reset. The
/// push resets keep several tabs polling every second and approve only after some poll intervals, to
/// show the portal's polls follow its interval, not the tabs.
/// </summary>
internal sealed class OktaCostScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    private static readonly (ResetKind Kind, string Label, double Target)[] Kinds =
    [
        (ResetKind.Sms, "SMS", 5),
        (ResetKind.Voice, "voice", 5),
        (ResetKind.OktaVerifyTotp, "TOTP", 4),
        (ResetKind.Push, "push, besides polls", 4),
    ];

    /// <param name="variant">Appended to the row labels: what the stage's portal configures differently, or empty.</param>
    /// <param name="callsAboveFloor">
    /// Calls the variant may make beyond Okta's floor (the lean targets): 1 with the defaults (the session revocation,
    /// issue 27's 6 / 6 / 5 / 5), 2 where the org's first password policy names a group (its members are read too).
    /// </param>
    public async Task RunAsync(Stage stage, HttpClient http, FigureBuilder figure, string variant, int callsAboveFloor, CancellationToken ct)
    {
        var recorder = new LatencyRecorder();
        var journey = new ResetJourney(stage.Probe, time);
        var interval = stage.PushPollInterval;
        var push = new PushBehavior(profile.PushTabs, TimeSpan.FromSeconds(1), interval * profile.PushWaitIntervals);
        foreach (var (kind, label, target) in Kinds)
        {
            var costs = new List<IReadOnlyDictionary<string, long>>();
            var intervalsWaited = new List<double>();
            for (var i = 0; i < profile.ResetsPerKind && stage.Users.TryTake(kind, out var login); i++)
            {
                var browser = new BrowserSession(http, recorder, time, profile.NullOriginOnForms);
                switch (await journey.RunAsync(browser, stage.PortalUrl, login, kind, push, ct).ConfigureAwait(false))
                {
                    case ResetOutcome.Completed completed:
                        costs.Add((await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).For(login));
                        if (completed.PushWait is { } waited)
                        {
                            intervalsWaited.Add(waited / interval);
                        }

                        break;
                    case ResetOutcome.Failed failed:
                        failures.Add(failed.Reason);
                        break;
                }
            }

            if (costs.Count == 0)
            {
                failures.Add($"Figure 1: no {label} reset completed (users with that kind left: {stage.Users.Available(kind)}).");
                continue;
            }

            var polls = costs.Average(c => c.GetValueOrDefault(ProbeCallCounts.PushPoll));
            figure.Add(label + variant, "calls", costs.Average(c => c.Values.Sum()) - polls, Target.AtMost(target + callsAboveFloor));
            figure.Note($"{label}{variant}: {Breakdown(costs)} per reset ({costs.Count} resets a run).");
            if (kind == ResetKind.Push && variant.Length == 0)
            {
                // One poll per started interval of waiting is the budget; what a non-coalescing portal would add shows in the note.
                var allowed = intervalsWaited.Average(Math.Ceiling);
                figure.Add($"push: Okta polls beyond one per started {interval.TotalSeconds:0} s interval waited ({profile.PushTabs} tabs polling every 1 s)",
                    "polls", polls - allowed, Target.AtMost(0));
                figure.Note(string.Create(CultureInfo.InvariantCulture,
                    $"push: {polls:0.#} Okta polls while the page waited {intervalsWaited.Average() * interval.TotalSeconds:0.#} s; the tabs polled the portal about {profile.PushTabs * intervalsWaited.Average() * interval.TotalSeconds:0} times."));
            }
        }

        failures.AddServerErrors(recorder, "Figure 1");
    }

    private static string Breakdown(List<IReadOnlyDictionary<string, long>> costs) =>
        string.Join(", ", costs.SelectMany(c => c.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(op => $"{op} {costs.Average(c => c.GetValueOrDefault(op)).ToString("0.#", CultureInfo.InvariantCulture)}"));
}
