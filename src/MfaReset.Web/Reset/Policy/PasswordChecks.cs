using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.State;

namespace MfaReset.Web.Reset.Policy;

/// <summary>Why the portal refuses a new password before asking Okta.</summary>
public enum PasswordWeakness
{
    /// <summary>On zxcvbn's list of common passwords (as typed, ignoring case), or guessable within a few thousand tries.</summary>
    Common,

    /// <summary>Contains the username, or a part of the person's login, email or name.</summary>
    Personal,

    /// <summary>Found in the breached-password range API.</summary>
    Breached,

    /// <summary>Fails a line of the org's password policy that the checklist checks as the person types (length, letters, digits, symbols).</summary>
    Rule,
}

/// <summary>What the portal's checks found: the checklist lines failed, in the checklist's order, and why.</summary>
public sealed record PasswordVerdict(IReadOnlyList<PasswordRule> FailedRules, IReadOnlyList<PasswordWeakness> Weaknesses)
{
    public bool Passed => FailedRules.Count == 0;
}

/// <summary>
/// The portal's own password checks (docs/security.md, "Password checks"), made before any Okta call: a common password
/// (zxcvbn's dictionaries, shipped in the <c>zxcvbn-core</c> package), a password containing the
/// person's own words, and, when <c>Passwords:BreachCheck:Enabled</c>, a k-anonymity range query.
/// </summary>
public sealed partial class PasswordChecks(
    IHttpClientFactory httpClients,
    IOptions<PasswordOptions> options,
    PortalMetrics metrics,
    ILogger<PasswordChecks> logger)
{
    /// <summary>The named HttpClient of the range API.</summary>
    public const string BreachClient = "password-breach-range";

    /// <summary>Parts of a login or email shorter than this are ignored, as Okta's own username rule does.</summary>
    private const int MinAccountPartLength = 4;

    /// <summary>First and last names count from three letters (Ann, Lee).</summary>
    private const int MinNameLength = 3;

    /// <summary>zxcvbn's guess estimates: a score of 0 or 1 is under 10^6 guesses.</summary>
    private const int WeakScore = 1;

    private static readonly PasswordRule Common = PasswordRule.Of(PasswordRuleKind.NoCommonPassword);
    private static readonly PasswordRule Personal = PasswordRule.Of(PasswordRuleKind.NoPersonalWords);
    private static readonly PasswordRule Breached = PasswordRule.Of(PasswordRuleKind.NotBreached);

    /// <summary>The portal's own lines on the change-password page, in the order the checks run.</summary>
    public IReadOnlyList<PasswordRule> Rules => options.Value.BreachCheck.Enabled ? [Common, Personal, Breached] : [Common, Personal];

    /// <summary>
    /// The page's checklist: the org's <paramref name="policyRules"/>, then this portal's <see cref="Rules"/>, each line once
    /// (the policy's username and common-password lines are the portal's own, which check more).
    /// </summary>
    public IReadOnlyList<PasswordRule> ChecklistOf(IReadOnlyList<PasswordRule> policyRules)
    {
        ArgumentNullException.ThrowIfNull(policyRules);
        return [.. policyRules.Concat(Rules).Distinct()];
    }

    /// <summary>What the new password must not contain: lowercased parts of the typed username and of the Okta profile.</summary>
    public static IReadOnlyList<string> PersonalWordsOf(string typedUsername, OktaUser? user)
    {
        ArgumentNullException.ThrowIfNull(typedUsername);
        var words = new HashSet<string>(StringComparer.Ordinal);
        var sources = new[] { (typedUsername, MinAccountPartLength), (user?.Login, MinAccountPartLength), (user?.Email, MinAccountPartLength), (user?.FirstName, MinNameLength), (user?.LastName, MinNameLength) };
        foreach (var (source, minLength) in sources)
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                continue;
            }

            var lower = source.Trim().ToLowerInvariant();
            var localPart = lower.Split('@')[0];
            foreach (var word in lower.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Append(localPart))
            {
                if (word.Length >= minLength && !TopLevelDomains.Contains(word))
                {
                    words.Add(word);
                }
            }
        }

        return [.. words.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every line of <see cref="ChecklistOf"/> <paramref name="policyRules"/> that <paramref name="password"/> fails,
    /// in the checklist's order. The lines a browser can check fail as the page's script marks them
    /// (<see cref="PasswordRule.IsMet"/>); "common" fails for a password on the list
    /// of common ones, or, only when every checkable line is met, one zxcvbn rates as easy to guess (a short
    /// password rates low for being short, which its length line already says); the breach check runs last,
    /// only for a password nothing else refused. Empty when it may be sent to Okta.
    /// </summary>
    public async Task<PasswordVerdict> CheckAsync(string password, IReadOnlyList<string> personalWords, IReadOnlyList<PasswordRule> policyRules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(personalWords);
        var checklist = ChecklistOf(policyRules);
        var failed = checklist.Where(rule => !rule.IsMet(password, personalWords)).ToHashSet();
        var weaknesses = new List<PasswordWeakness>();
        if (failed.Any(rule => rule != Personal))
        {
            weaknesses.Add(PasswordWeakness.Rule);
        }

        if (failed.Contains(Personal))
        {
            weaknesses.Add(PasswordWeakness.Personal);
        }

        if (IsCommon(password, everyCheckMet: failed.Count == 0))
        {
            weaknesses.Add(PasswordWeakness.Common);
            failed.Add(Common);
        }

        if (failed.Count == 0 && options.Value.BreachCheck.Enabled && await IsBreachedAsync(password, cancellationToken).ConfigureAwait(false))
        {
            weaknesses.Add(PasswordWeakness.Breached);
            failed.Add(Breached);
        }

        return new PasswordVerdict([.. checklist.Where(failed.Contains)], weaknesses);
    }

    /// <summary>
    /// One zxcvbn instance for the process: building one loads its dictionaries (tens of thousands of words),
    /// far too slow per request. Its matchers are not documented as thread-safe, hence the lock.
    /// </summary>
    private static readonly Lazy<Zxcvbn.Zxcvbn> Estimator = new(() => new Zxcvbn.Zxcvbn(), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lock EstimatorGate = new();

    private static readonly char[] Separators = ['@', '.', '_', '-', '+', ' ', '\'', ','];

    /// <summary>Parts of every email address, not of a person: left out, as Okta's own username rule does.</summary>
    private static readonly HashSet<string> TopLevelDomains = new(["com", "net", "org", "gov", "edu", "info"], StringComparer.Ordinal);

    /// <summary>
    /// The whole password is one of zxcvbn's common passwords (any case, l33t included), or, when
    /// <paramref name="everyCheckMet"/>, zxcvbn rates it as guessable.
    /// </summary>
    private static bool IsCommon(string password, bool everyCheckMet)
    {
        Zxcvbn.Result result;
        lock (EstimatorGate)
        {
            result = Estimator.Value.EvaluatePassword(password);
        }

        return (everyCheckMet && result.Score <= WeakScore)
            || result.MatchSequence.OfType<Zxcvbn.Matcher.DictionaryMatch>().Any(m =>
                string.Equals(m.DictionaryName, "passwords", StringComparison.Ordinal) && m.Token.Length == password.Length);
    }

    /// <summary>
    /// k-anonymity: the first five hex characters of the SHA-1 are sent, with <c>Add-Padding: true</c>;
    /// the answer's lines are <c>SUFFIX:COUNT</c> (padding lines have count 0). Any failure lets the
    /// password through, logged and counted.
    /// </summary>
    private async Task<bool> IsBreachedAsync(string password, CancellationToken cancellationToken)
    {
#pragma warning disable CA5350 // SHA-1 is what the range API is keyed by; it protects nothing here.
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
        var (prefix, suffix) = (hash[..5], hash[5..]);
        var breach = options.Value.BreachCheck;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(breach.Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(breach.RangeUrl, prefix));
            request.Headers.Add("Add-Padding", "true");
            using var response = await httpClients.CreateClient(BreachClient).SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Unchecked($"status {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            foreach (var line in body.Split('\n'))
            {
                var parts = line.Trim().Split(':');
                if (parts.Length == 2
                    && string.Equals(parts[0], suffix, StringComparison.OrdinalIgnoreCase)
                    && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    return count > 0;
                }
            }

            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unchecked("timeout");
        }
        catch (HttpRequestException)
        {
            return Unchecked("connection failed");
        }
    }

    private bool Unchecked(string reason)
    {
        metrics.BreachCheckFailed();
        logger.BreachCheckFailed(reason);
        return false;
    }
}
