using System.Globalization;
using MfaReset.LoadTest.Browser;
using MfaReset.LoadTest.Hosting;
using MfaReset.LoadTest.Measurement;
using MfaReset.LoadTest.Reporting;
using MfaReset.LoadTest.Sandbox;
using MfaReset.Okta.Sandbox.Control;
using MfaReset.Testing.Browser;
using MfaReset.Web.Options;

namespace MfaReset.LoadTest.Scenarios;

/// <summary>
/// Figure 8: two portal instances on one PostgreSQL store, behind one address as behind a load balancer
/// without affinity (<see cref="PortalRoute"/>). The guarantees that must hold across instances, counted
/// by the sandbox: one password set per reset token, the per-person send limit of one instance (not one per
/// instance), one Okta poll per started interval for a push polled through both; then completed resets
/// per second with every request going to either instance, against all of them going to one.
/// </summary>
internal sealed class TwoInstanceScenario(LoadProfile profile, TimeProvider time, FailureLog failures)
{
    // A person presses "send again" a moment after the button comes back.
    private static readonly TimeSpan AfterCooldown = TimeSpan.FromSeconds(1);

    /// <param name="run">The run's number: odd runs measure one instance first at each concurrency, even runs two.</param>
    public async Task RunAsync(Stage stage, HttpClient http, FigureBuilder figure, int run, CancellationToken ct)
    {
        if (stage.PortalUrls.Count < 2 || stage.ResetOptions is not { } reset)
        {
            throw new ArgumentException("Figure 8 needs two portal instances started by the driver.", nameof(stage));
        }

        var recorder = new LatencyRecorder();
        // The person waiting out resend cooldowns is idle nearly all the time: they wait alongside the rest.
        var sends = SendLimitAcrossInstancesAsync(stage, http, recorder, figure, reset.Limits, ct);
        await OnePasswordPerTokenAsync(stage, http, recorder, figure, ct).ConfigureAwait(false);
        await PollsAcrossInstancesAsync(stage, http, recorder, figure, reset.PushPollInterval, ct).ConfigureAwait(false);
        await ThroughputAsync(stage, http, figure, oneFirst: run % 2 == 1, ct).ConfigureAwait(false);
        await sends.ConfigureAwait(false);
        failures.AddServerErrors(recorder, "Figure 8 (guarantees across instances)");
    }

    // Both instances at once: the same change-password form, the same cookies, to A and to B.
    private async Task OnePasswordPerTokenAsync(Stage stage, HttpClient http, LatencyRecorder recorder, FigureBuilder figure, CancellationToken ct)
    {
        var journey = new ResetJourney(stage.Probe, time);
        var (a, b) = (stage.PortalUrls[0], stage.PortalUrls[1]);
        var people = new List<string>();
        var secondPages = new Dictionary<string, int>(StringComparer.Ordinal);
        var elsewhere = 0;
        var wonOnB = 0;
        for (var i = 0; i < profile.PasswordRaces && stage.Users.TryTake(ResetKind.OktaVerifyTotp, out var login); i++)
        {
            var onA = new BrowserSession(http, recorder, time, profile.NullOriginOnForms, PortalRoute.To(stage.PortalUrl, a));
            HtmlPage page;
            try
            {
                page = await journey.VerifyWithTotpAsync(onA, stage.PortalUrl, login, ResetKind.OktaVerifyTotp, ct).ConfigureAwait(false);
            }
            catch (JourneyException e)
            {
                failures.Add($"Figure 8: verifying {login} on instance A: {e.Message}");
                continue;
            }

            // A browser of its own with the same cookies, so neither request's answer changes the cookies the other follows its redirect with.
            var onB = onA.CopyWithCookies(PortalRoute.To(stage.PortalUrl, b));
            var form = ResetJourney.NewPasswordForm(page).Submit();
            var ended = await Task.WhenAll(onA.SubmitAsync(form, ct), onB.SubmitAsync(form, ct)).ConfigureAwait(false);
            people.Add(login);
            // The first to reach the done page won; the other shows where the portal sends a used token.
            var winner = Array.FindIndex(ended, IsDone);
            wonOnB += winner == 1 ? 1 : 0;
            var second = winner < 0 ? $"neither done: {ended[0].Describe()} and {ended[1].Describe()}" : ended[1 - winner].Describe();
            secondPages[second] = secondPages.GetValueOrDefault(second) + 1;
            if (winner < 0 || !IsUsedTokenPage(ended[1 - winner]))
            {
                elsewhere++;
            }
        }

        if (people.Count == 0)
        {
            failures.Add("Figure 8: no TOTP user to race a password change with.");
            return;
        }

        var counts = await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false);
        var notOnce = people.Count(login => counts.For(login).GetValueOrDefault(OktaOperations.UpdateUser) != 1);
        figure.Add($"one password set per token: people whose password Okta set other than once (same form to both instances at once, {people.Count} people)",
            "people", notOnce, Target.AtMost(0));
        figure.Add("one password set per token: races where neither request reached the done page, or the other one ended elsewhere than the done or used-token page",
            "races", elsewhere, Target.AtMost(0));
        figure.Note("Password races, where the second request ended: " + string.Join(", ", secondPages.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key} {p.Value}")) + $"; the request to B won {wonOnB} of {people.Count} (per run; {PortalPages.Done} is the same browser's finished reset).");
    }

    private static bool IsDone(HtmlPage page) =>
        page.Status == 200 && page.Url.AbsolutePath.Equals(PortalPages.Done, StringComparison.OrdinalIgnoreCase);

    // The done page (the browser's own finished reset) or the problem page for a used token or a reset
    // already finished (a 4xx, never a 5xx).
    private static bool IsUsedTokenPage(HtmlPage page) =>
        IsDone(page) || (page.Status < 500
            && (page.Url.AbsolutePath.Equals(PortalPages.UsedTokenProblem, StringComparison.OrdinalIgnoreCase)
                || page.Url.AbsolutePath.Equals(PortalPages.ChangedInAnotherTabProblem, StringComparison.OrdinalIgnoreCase)));

    // One person, a flow on each instance: a send, at once the other instance (held by the person's resend
    // cooldown), after the cooldown the other instance again, and so on until a send after the cooldown is refused.
    private async Task SendLimitAcrossInstancesAsync(
        Stage stage, HttpClient http, LatencyRecorder recorder, FigureBuilder figure, ResetLimits limits, CancellationToken ct)
    {
        if (!stage.Users.TryTake(ResetKind.Sms, out var login))
        {
            failures.Add("Figure 8: no SMS user for the send limit.");
            return;
        }

        var flows = new List<(BrowserSession Browser, FormSubmission Send)>();
        foreach (var instance in stage.PortalUrls.Take(2))
        {
            var browser = new BrowserSession(http, recorder, time, profile.NullOriginOnForms, PortalRoute.To(stage.PortalUrl, instance));
            try
            {
                var page = await ResetJourney.ChooseAsync(browser, stage.PortalUrl, login, ResetKind.Sms, ct).ConfigureAwait(false);
                flows.Add((browser, page.FormPostingTo(PortalPages.SendHandler).Submit()));
            }
            catch (JourneyException e)
            {
                failures.Add($"Figure 8: starting an SMS reset of {login} on {instance}: {e.Message}");
                return;
            }
        }

        var sent = 0;
        var held = 0;
        long refusedCalls = 0;
        HtmlPage? refusal = null;
        var next = 0;
        // Twice the limit and one more: what two instances with limits of their own would send, and the refusal.
        for (var attempt = 0; attempt <= 2 * limits.SendsPerUser && refusal is null; attempt++)
        {
            var (didSend, page, calls) = await SendAsync(stage, flows[next], login, ct).ConfigureAwait(false);
            if (!didSend)
            {
                refusedCalls += calls;
                refusal = page;
                break;
            }

            sent++;
            next = 1 - next;
            var (sentAgain, _, heldCalls) = await SendAsync(stage, flows[next], login, ct).ConfigureAwait(false);
            if (sentAgain)
            {
                sent++;
            }
            else
            {
                held++;
                refusedCalls += heldCalls;
            }

            await Task.Delay(limits.ResendCooldown + AfterCooldown, time, ct).ConfigureAwait(false);
        }

        if (refusal is null)
        {
            failures.Add($"Figure 8: {sent} codes went to one person through two instances and no send was refused.");
        }
        else if (sent != limits.SendsPerUser)
        {
            failures.Add($"Figure 8: {sent} codes went to one person before a send was refused; the limit is {limits.SendsPerUser}.");
        }

        figure.Add($"per-person limits: SMS codes Okta sent to one person, sends alternating instances until refused (Reset:Limits:SendsPerUser {limits.SendsPerUser})",
            "sends", sent, Target.AtMost(limits.SendsPerUser));
        figure.Add("per-person limits: Okta calls made by the refused send requests", "calls", refusedCalls, Target.AtMost(0));
        figure.Note(string.Create(CultureInfo.InvariantCulture,
            $"Send limit: {sent} codes sent, {held} sends refused at once on the other instance (the person's {limits.ResendCooldown.TotalSeconds:0} s resend cooldown), the send after the last cooldown refused with {refusal?.Describe() ?? "nothing"}."));
    }

    // A send: whether Okta was asked to send a code (its verifyFactor calls for the person), the page, and every Okta call it made.
    private static async Task<(bool Sent, HtmlPage Page, long Calls)> SendAsync(
        Stage stage, (BrowserSession Browser, FormSubmission Send) flow, string login, CancellationToken ct)
    {
        var before = (await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).For(login);
        var page = await flow.Browser.SubmitAsync(flow.Send, ct).ConfigureAwait(false);
        var after = (await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).For(login);
        var sends = after.GetValueOrDefault(OktaOperations.VerifyFactor) - before.GetValueOrDefault(OktaOperations.VerifyFactor);
        return (sends > 0, page, after.Values.Sum() - before.Values.Sum());
    }

    // One push flow, started on A, polled every second by tabs on A and on B for a few poll intervals; nobody answers.
    private async Task PollsAcrossInstancesAsync(
        Stage stage, HttpClient http, LatencyRecorder recorder, FigureBuilder figure, TimeSpan interval, CancellationToken ct)
    {
        if (!stage.Users.TryTake(ResetKind.Push, out var login))
        {
            failures.Add("Figure 8: no push user for the poll coalescing.");
            return;
        }

        var onA = new BrowserSession(http, recorder, time, profile.NullOriginOnForms, PortalRoute.To(stage.PortalUrl, stage.PortalUrls[0]));
        PushWait wait;
        try
        {
            wait = await ResetJourney.StartPushAsync(onA, stage.PortalUrl, login, ct).ConfigureAwait(false);
        }
        catch (JourneyException e)
        {
            failures.Add($"Figure 8: starting a push for {login}: {e.Message}");
            return;
        }

        var sentAt = time.GetTimestamp();
        var until = interval * profile.TwoInstancePollIntervals;
        var tabs = stage.PortalUrls
            .SelectMany(instance => Enumerable.Range(0, profile.PushTabs).Select(_ => onA.Tab(PortalRoute.To(stage.PortalUrl, instance))))
            .ToList();
        var browserPolls = 0;
        var lastAnswer = TimeSpan.Zero;
        var gate = new Lock();
        await Task.WhenAll(tabs.Select(async tab =>
        {
            await Task.Delay(wait.FirstPoll, time, ct).ConfigureAwait(false);
            while (time.GetElapsedTime(sentAt) < until)
            {
                string state;
                try
                {
                    state = await ResetJourney.PollOnceAsync(tab, wait, ct).ConfigureAwait(false);
                }
                catch (JourneyException e)
                {
                    failures.Add($"Figure 8: polling the push of {login}: {e.Message}");
                    return;
                }

                lock (gate)
                {
                    browserPolls++;
                    lastAnswer = time.GetElapsedTime(sentAt);
                }

                if (state != "pending")
                {
                    failures.Add($"Figure 8: the unanswered push of {login} polled '{state}'.");
                    return;
                }

                await Task.Delay(profile.PushPollEvery, time, ct).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);

        var oktaPolls = (await stage.Probe.CallCountsAsync(ct).ConfigureAwait(false)).For(login).GetValueOrDefault(ProbeCallCounts.PushPoll);
        // The bound figure 1 uses: one Okta poll per started interval of waiting.
        var allowed = Math.Ceiling(lastAnswer / interval);
        figure.Add($"poll coalescing: Okta polls beyond one per started {interval.TotalSeconds:0} s interval, one push polled through both instances ({profile.PushTabs} tabs on each, every {profile.PushPollEvery.TotalSeconds:0} s)",
            "polls", oktaPolls - allowed, Target.AtMost(0));
        figure.Note(string.Create(CultureInfo.InvariantCulture,
            $"Poll coalescing: {oktaPolls} Okta polls while the push waited {lastAnswer.TotalSeconds:0.#} s ({allowed:0} started intervals); the tabs polled the two instances {browserPolls} times."));
    }

    // Completed resets per second with every request to either instance, against all of them to the first.
    // The order alternates between runs, so neither always meets the warmer portal or the quieter machine.
    private async Task ThroughputAsync(Stage stage, HttpClient http, FigureBuilder figure, bool oneFirst, CancellationToken ct)
    {
        var throughput = new ThroughputScenario(profile, time, failures);
        var one = PortalRoute.To(stage.PortalUrl, stage.PortalUrls[0]);
        var both = PortalRoute.RoundRobin(stage.PortalUrl, stage.PortalUrls);
        foreach (var users in profile.ConcurrencyLevels.Where(u => u > 1))
        {
            Task<ResetStep> Measure(bool onBoth) => onBoth
                ? throughput.RunResetsAsync(stage, http, users, figure, $"{users} users, two instances (each request to either)", both, TimeSpan.Zero, ct)
                : throughput.RunResetsAsync(stage, http, users, figure, $"{users} users, one instance", one, TimeSpan.Zero, ct);
            var first = await Measure(onBoth: !oneFirst).ConfigureAwait(false);
            var second = await Measure(onBoth: oneFirst).ConfigureAwait(false);
            var (onOne, onBoth) = oneFirst ? (first, second) : (second, first);
            if (onOne.ResetsPerSecond > 0)
            {
                figure.Add($"{users} users: two instances ÷ one instance, completed resets/s", "×", onBoth.ResetsPerSecond / onOne.ResetsPerSecond);
            }
        }
    }
}
