using System.Collections.Concurrent;
using MfaReset.Okta;
using MfaReset.Web.Reset.Policy;

namespace MfaReset.Web.Tests.Support;

/// <summary>
/// A hand-written Okta for flow unit tests: a small directory of users and factors, codes that match
/// or not, pushes whose outcome the test scripts, and a log of every call the flow made.
/// </summary>
public sealed class FakeOktaClient : IOktaClient, IOktaRoleDirectory
{
    public const string ValidCode = "123456";

    /// <summary>The org the fake's push links point at; the flow harness configures it as the portal's org.</summary>
    public static readonly Uri OrgUrl = new("https://example.okta.com");

    /// <summary>When every fake user last set a password, until a test says otherwise: long before any flow.</summary>
    public static readonly DateTimeOffset SeedPasswordChanged = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<string> _calls = new();

    public Dictionary<string, OktaUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, List<OktaFactor>> Factors { get; } = [];

    /// <summary>Answers of the next GetUser calls, before the directory is consulted.</summary>
    public Queue<OktaResult<OktaUser>> NextGetUser { get; } = new();

    /// <summary>Answers of the next ListFactors calls, before the directory is consulted.</summary>
    public Queue<OktaResult<IReadOnlyList<OktaFactor>>> NextListFactors { get; } = new();

    /// <summary>
    /// When set, GetUser and ListFactors await it (with the operation name and the call's token) before
    /// answering: lets a test make Okta slow or hang on the test's clock.
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeRead { get; set; }

    public Queue<FactorVerifyResult> NextChallenge { get; } = new();

    public Queue<FactorVerifyResult> NextVerify { get; } = new();

    public Queue<FactorVerifyResult> NextPush { get; } = new();

    /// <summary>Answers of the next polls; when empty a poll answers WAITING.</summary>
    public Queue<FactorVerifyResult> NextPoll { get; } = new();

    public Queue<SetPasswordResult> NextSetPassword { get; } = new();

    /// <summary>Answers of the next unlock calls; when empty an unlock succeeds.</summary>
    public Queue<OktaResult<NoContent>> NextUnlock { get; } = new();

    /// <summary>When set, SetPassword waits for it: lets a test hold a password change in flight.</summary>
    public TaskCompletionSource? SetPasswordGate { get; set; }

    /// <summary>
    /// Runs with the user id when SetPassword is called, before it answers: lets a test change what
    /// Okta holds, as when Okta applied a change whose answer was then lost.
    /// </summary>
    public Action<string>? OnSetPassword { get; set; }

    public IReadOnlyList<string> Calls => [.. _calls];

    public int CountOf(string operation) => _calls.Count(c => c == operation);

    public static OktaError Error(int status, string code) => new(status, code, "summary that must not be shown", "oae-test", [], null);

    public OktaUser AddUser(string login, OktaUserStatus status = OktaUserStatus.Active, string provider = "OKTA", params FactorKind[] kinds)
    {
        var user = new OktaUser("00u" + Math.Abs(login.GetHashCode(StringComparison.Ordinal)), status, login, login, provider, SeedPasswordChanged) { ETag = NextETag() };
        Users[login] = user;
        Factors[user.Id] = [.. kinds.Select((kind, i) => Factor(kind, $"{user.Id}-f{i}"))];
        return user;
    }

    public static OktaFactor Factor(FactorKind kind, string id, OktaFactorStatus status = OktaFactorStatus.Active) => kind switch
    {
        FactorKind.Sms => new(id, "sms", "OKTA", status, kind, "+12025550101", null),
        FactorKind.Call => new(id, "call", "OKTA", status, kind, "+12025550102", null),
        FactorKind.OktaVerifyPush => new(id, "push", "OKTA", status, kind, null, "Pixel"),
        FactorKind.OktaVerifyTotp => new(id, "token:software:totp", "OKTA", status, kind, null, null),
        FactorKind.GoogleAuthenticator => new(id, "token:software:totp", "GOOGLE", status, kind, null, null),
        FactorKind.Email => new(id, "email", "OKTA", status, kind, null, null) { Email = "jane.doe@example.com" },
        _ => new(id, "question", "OKTA", status, kind, null, null),
    };

    public static FactorVerifyResult.Waiting Waiting(int? number = 42) =>
        new(PushPollHandle.Deserialize($"{OrgUrl.AbsoluteUri.TrimEnd('/')}/api/v1/users/00u1/factors/opf1/transactions/v2mst1"), number, null);

    public async Task<OktaResult<OktaUser>> GetUserAsync(string loginOrId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(GetUserAsync));
        if (BeforeRead is { } wait)
        {
            await wait(nameof(GetUserAsync), cancellationToken);
        }

        if (NextGetUser.TryDequeue(out var scripted))
        {
            return scripted;
        }

        // As Okta: a login (any case), an unambiguous short name, or an id.
        var shortNamed = Users.Values.Where(u => string.Equals(u.Login.Split('@')[0], loginOrId, StringComparison.OrdinalIgnoreCase)).ToList();
        var user = Users.Values.FirstOrDefault(u => string.Equals(u.Login, loginOrId, StringComparison.OrdinalIgnoreCase))
            ?? (shortNamed.Count == 1 ? shortNamed[0] : null)
            ?? Users.Values.FirstOrDefault(u => u.Id == loginOrId);
        return user is not null
            ? new OktaResult<OktaUser>.Ok(user)
            : new OktaResult<OktaUser>.NotFound(Error(404, "E0000007"));
    }

    /// <summary>Okta now holds <paramref name="changedAt"/> as the user's <c>passwordChanged</c> (a new version of the user).</summary>
    public void SetPasswordChanged(string userId, DateTimeOffset changedAt)
    {
        var user = Users.Values.Single(u => u.Id == userId);
        Users[user.Login] = user with { PasswordChanged = changedAt, ETag = user.ETag is null ? null : NextETag() };
    }

    /// <summary>The user changed in a way other than the password (a profile edit, a sign-in): a new version, the same <c>passwordChanged</c>.</summary>
    public void ChangeOtherThanPassword(string userId)
    {
        var user = Users.Values.Single(u => u.Id == userId);
        Users[user.Login] = user with { ETag = user.ETag is null ? null : NextETag() };
    }

    private int _versions;

    // Weak, like Okta's documented example W/"1234567890abcdef".
    private OktaEntityTag NextETag() => new($"\"v{Interlocked.Increment(ref _versions)}\"", IsWeak: true);

    public async Task<OktaResult<IReadOnlyList<OktaFactor>>> ListFactorsAsync(string userId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListFactorsAsync));
        if (BeforeRead is { } wait)
        {
            await wait(nameof(ListFactorsAsync), cancellationToken);
        }

        return NextListFactors.TryDequeue(out var scripted)
            ? scripted
            : new OktaResult<IReadOnlyList<OktaFactor>>.Ok(Factors.GetValueOrDefault(userId) ?? []);
    }

    /// <summary>Administrator roles per user id; a user not listed has none.</summary>
    public Dictionary<string, List<OktaRole>> Roles { get; } = [];

    /// <summary>Answers of the next role lookups, before <see cref="Roles"/> is consulted.</summary>
    public Queue<OktaResult<IReadOnlyList<OktaRole>>> NextRoles { get; } = new();

    public Task<OktaResult<IReadOnlyList<OktaRole>>> ListAssignedRolesAsync(string userId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListAssignedRolesAsync));
        return Task.FromResult(NextRoles.TryDequeue(out var scripted)
            ? scripted
            : new OktaResult<IReadOnlyList<OktaRole>>.Ok(Roles.GetValueOrDefault(userId) ?? []));
    }

    /// <summary>The group through which a role listed in <see cref="Roles"/> with assignment type <c>GROUP</c> is held.</summary>
    public const string AdminGroupId = "00gfakeadmins";

    /// <summary>Entries per page of the org-wide role and group lists: small, so that every list is walked page by page.</summary>
    public int DirectoryPageSize { get; set; } = 1;

    /// <summary>Answers of the next org-wide list reads (assignees, groups, group roles or members), before the directory is consulted.</summary>
    public Queue<OktaResult<OktaPage<string>>> NextDirectoryPage { get; } = new();

    public Task<OktaResult<OktaPage<string>>> ListRoleAssigneesAsync(string? after, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListRoleAssigneesAsync));
        return Task.FromResult(NextDirectoryPage.TryDequeue(out var scripted)
            ? scripted
            : Page(Roles.Where(r => r.Value.Any(role => role.AssignmentType != "GROUP")).Select(r => r.Key), after, id => id));
    }

    public Task<OktaResult<OktaPage<OktaGroup>>> ListGroupsAsync(string? after, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListGroupsAsync));
        var ids = Groups.Values.SelectMany(g => g).Append(AdminGroupId).Distinct(StringComparer.Ordinal);
        return Task.FromResult(Page(ids, after, id => new OktaGroup(id, id)));
    }

    public Task<OktaResult<IReadOnlyList<OktaRole>>> ListGroupRolesAsync(string groupId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListGroupRolesAsync));
        IReadOnlyList<OktaRole> roles = groupId == AdminGroupId ? [new OktaRole("HELP_DESK_ADMIN", "ACTIVE", "GROUP")] : [];
        return Task.FromResult<OktaResult<IReadOnlyList<OktaRole>>>(new OktaResult<IReadOnlyList<OktaRole>>.Ok(roles));
    }

    public Task<OktaResult<OktaPage<string>>> ListGroupMemberIdsAsync(string groupId, string? after, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListGroupMemberIdsAsync));
        var members = groupId == AdminGroupId
            ? Roles.Where(r => r.Value.Any(role => role.AssignmentType == "GROUP")).Select(r => r.Key)
            : Groups.Where(g => g.Value.Contains(groupId)).Select(g => g.Key);
        return Task.FromResult(NextDirectoryPage.TryDequeue(out var scripted) ? scripted : Page(members, after, id => id));
    }

    /// <summary>One page of <paramref name="ids"/> in id order after the cursor <paramref name="after"/> (the last id of the page before).</summary>
    private OktaResult<OktaPage<T>> Page<T>(IEnumerable<string> ids, string? after, Func<string, T> item)
    {
        var rest = ids.Order(StringComparer.Ordinal).Where(id => after is null || string.CompareOrdinal(id, after) > 0).Take(DirectoryPageSize + 1).ToList();
        var page = rest.Take(DirectoryPageSize).ToList();
        return new OktaResult<OktaPage<T>>.Ok(new OktaPage<T>([.. page.Select(item)], rest.Count > DirectoryPageSize ? page[^1] : null));
    }

    /// <summary>The org's password policies and rules: by default one policy for everyone whose rule lets every method reset.</summary>
    public List<PolicyWithRules> Policies { get; } = [PolicyFor([], AllowAll("Default Rule"))];

    /// <summary>Group ids per user id; a user not listed is in none.</summary>
    public Dictionary<string, List<string>> Groups { get; } = [];

    /// <summary>Answers of the next policy list reads, before <see cref="Policies"/> is consulted.</summary>
    public Queue<OktaResult<IReadOnlyList<OktaPasswordPolicy>>> NextPolicies { get; } = new();

    /// <summary>Answers of the next group reads, before <see cref="Groups"/> is consulted.</summary>
    public Queue<OktaResult<IReadOnlyList<OktaGroup>>> NextGroups { get; } = new();

    public static PolicyWithRules PolicyFor(IReadOnlyList<string> groupIds, OktaPasswordPolicyRule rule, OktaPasswordComplexity? complexity = null, int priority = 1, IReadOnlyList<string>? recoveryFactors = null) =>
        new(new OktaPasswordPolicy("00p" + rule.Id, "Policy of " + rule.Name, true, priority, groupIds.Count == 0, groupIds, null, complexity ?? OktaPasswordComplexity.Default, recoveryFactors ?? []), [rule]);

    public static OktaPasswordPolicyRule AllowAll(string name) =>
        Rule(name, allowed: true, ["sms", "voice", "push", "otp", "email"]);

    public static OktaPasswordPolicyRule Rule(string name, bool allowed, IReadOnlyList<string> methods, bool stepUp = false, bool unlock = true) =>
        new("0pr" + Math.Abs(name.GetHashCode(StringComparison.Ordinal)), name, true, 1, [], new OktaSelfServiceReset(allowed, methods.Count == 0 && !stepUp ? null : new OktaRecoveryRequirement(null, methods, stepUp, stepUp ? ["security_question"] : [])), unlock);

    public Task<OktaResult<IReadOnlyList<OktaGroup>>> ListUserGroupsAsync(string userId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListUserGroupsAsync));
        return Task.FromResult(NextGroups.TryDequeue(out var scripted)
            ? scripted
            : new OktaResult<IReadOnlyList<OktaGroup>>.Ok([.. (Groups.GetValueOrDefault(userId) ?? []).Select(id => new OktaGroup(id, id))]));
    }

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicy>>> ListPasswordPoliciesAsync(CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListPasswordPoliciesAsync));
        return Task.FromResult(NextPolicies.TryDequeue(out var scripted)
            ? scripted
            : new OktaResult<IReadOnlyList<OktaPasswordPolicy>>.Ok([.. Policies.Select(p => p.Policy)]));
    }

    public Task<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>> ListPasswordPolicyRulesAsync(string policyId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListPasswordPolicyRulesAsync));
        return Task.FromResult<OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>>(Policies.FirstOrDefault(p => p.Policy.Id == policyId) is { } found
            ? new OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.Ok(found.Rules)
            : new OktaResult<IReadOnlyList<OktaPasswordPolicyRule>>.NotFound(Error(404, "E0000007")));
    }

    /// <summary>The org's network zones; <see cref="ZonesUnreadable"/> makes their read fail (a missing scope).</summary>
    public List<OktaNetworkZone> Zones { get; } = [];

    public bool ZonesUnreadable { get; set; }

    public Task<OktaResult<IReadOnlyList<OktaNetworkZone>>> ListNetworkZonesAsync(CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ListNetworkZonesAsync));
        return Task.FromResult<OktaResult<IReadOnlyList<OktaNetworkZone>>>(ZonesUnreadable
            ? new OktaResult<IReadOnlyList<OktaNetworkZone>>.Failed(Error(403, "insufficient_scope"))
            : new OktaResult<IReadOnlyList<OktaNetworkZone>>.Ok([.. Zones]));
    }

    /// <summary>The <c>forgetDevices</c> of the last session revocation (null: not sent).</summary>
    public bool? LastForgetDevices { get; private set; }

    /// <summary>The language of each challenge, in order.</summary>
    public ConcurrentQueue<string?> ChallengeLanguages { get; } = new();

    public Task<FactorVerifyResult> ChallengeAsync(string userId, string factorId, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ChallengeAsync));
        ChallengeLanguages.Enqueue(language);
        return Task.FromResult(NextChallenge.TryDequeue(out var scripted) ? scripted : new FactorVerifyResult.ChallengeSent(null));
    }

    public Task<FactorVerifyResult> ChallengeEmailAsync(string userId, string factorId, TimeSpan tokenLifetime, string? language = null, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(ChallengeEmailAsync));
        ChallengeLanguages.Enqueue(language);
        EmailTokenLifetimes.Enqueue(tokenLifetime);
        return Task.FromResult(NextChallenge.TryDequeue(out var scripted) ? scripted : new FactorVerifyResult.ChallengeSent(null));
    }

    /// <summary>The <c>tokenLifetimeSeconds</c> of every email challenge, in order.</summary>
    public ConcurrentQueue<TimeSpan> EmailTokenLifetimes { get; } = new();

    /// <summary>
    /// Runs after Okta "decided" a code check or a push poll and before the answer reaches the portal: what another
    /// request of the same person does while the answer is on its way.
    /// </summary>
    public Func<Task>? WhileAnswering { get; set; }

    public async Task<FactorVerifyResult> VerifyPasscodeAsync(string userId, string factorId, string passCode, OktaEndUser? endUser = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(VerifyPasscodeAsync));
        var answer = NextVerify.TryDequeue(out var scripted)
            ? scripted
            : passCode == ValidCode ? new FactorVerifyResult.Success() : new FactorVerifyResult.InvalidPasscode(Error(403, "E0000068"));
        await AnsweringAsync().ConfigureAwait(false);
        return answer;
    }

    private async Task AnsweringAsync()
    {
        if (WhileAnswering is { } meanwhile)
        {
            await meanwhile().ConfigureAwait(false);
        }
    }

    public Task<FactorVerifyResult> SendPushAsync(string userId, string factorId, PushRequestContext context, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(SendPushAsync));
        LastPushContext = context;
        return Task.FromResult(NextPush.TryDequeue(out var scripted) ? scripted : Waiting());
    }

    public PushRequestContext? LastPushContext { get; private set; }

    /// <summary>The <c>oauthTokens</c> flag of the last session revocation.</summary>
    public bool? LastRevokeOAuthTokens { get; private set; }

    /// <summary>Every poll link asked, in order.</summary>
    public ConcurrentQueue<PushPollHandle> PolledLinks { get; } = new();

    public async Task<FactorVerifyResult> PollPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(PollPushAsync));
        PolledLinks.Enqueue(handle);
        var answer = NextPoll.TryDequeue(out var scripted) ? scripted : Waiting();
        await AnsweringAsync().ConfigureAwait(false);
        return answer;
    }

    public Task<FactorVerifyResult> CancelPushAsync(PushPollHandle handle, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(CancelPushAsync));
        return Task.FromResult<FactorVerifyResult>(new FactorVerifyResult.Cancelled());
    }

    /// <summary>The <c>If-Match</c> of every password set, in order (null: sent without).</summary>
    public ConcurrentQueue<OktaEntityTag?> SetPasswordIfMatch { get; } = new();

    /// <summary>
    /// When set, a password set with an <c>If-Match</c> is refused with 412 even when it names the current
    /// version: an org that honours no weak tag.
    /// </summary>
    public bool RefusesEveryIfMatch { get; set; }

    public async Task<SetPasswordResult> SetPasswordAsync(string userId, string newPassword, OktaEntityTag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(SetPasswordAsync));
        SetPasswordIfMatch.Enqueue(ifMatch);
        if (SetPasswordGate is { } gate)
        {
            await gate.Task;
        }

        // As Okta: a conditional set applies only to the version its tag names (nothing is set otherwise).
        if (ifMatch is not null && (RefusesEveryIfMatch || ifMatch != Users.Values.Single(u => u.Id == userId).ETag))
        {
            return new SetPasswordResult.UserChanged(new OktaError(412, null, null, null, [], null));
        }

        OnSetPassword?.Invoke(userId);

        return NextSetPassword.TryDequeue(out var scripted) ? scripted : new SetPasswordResult.Changed();
    }

    public Task<OktaResult<NoContent>> UnlockUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(UnlockUserAsync));
        return Task.FromResult(NextUnlock.TryDequeue(out var scripted) ? scripted : new OktaResult<NoContent>.Ok(default));
    }

    public Task<OktaResult<NoContent>> RevokeSessionsAsync(string userId, bool revokeOAuthTokens, bool? forgetDevices = null, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue(nameof(RevokeSessionsAsync));
        LastRevokeOAuthTokens = revokeOAuthTokens;
        LastForgetDevices = forgetDevices;
        return Task.FromResult(NextRevoke.TryDequeue(out var scripted) ? scripted : new OktaResult<NoContent>.Ok(default));
    }

    /// <summary>Answers for the next session revocations; Ok when empty.</summary>
    public Queue<OktaResult<NoContent>> NextRevoke { get; } = new();
}
