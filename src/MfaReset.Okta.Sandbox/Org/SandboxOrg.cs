using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// The emulated org: its users and open push transactions. Lookups are lock-free; each user's mutable
/// state is guarded by that user's own lock, so concurrent flows for different users never contend.
/// </summary>
internal sealed class SandboxOrg
{
    private const string SeedPassword = "Seeded-Demo-Passw0rd";

    private readonly IReadOnlyList<SeedUser> _seed;
    private readonly byte[] _passwordKey = RandomNumberGenerator.GetBytes(32);
    private Snapshot _current;

    public SandboxOrg(SandboxOptions options, TimeProvider clock)
    {
        Options = options;
        Clock = clock;
        _seed = DemoUsers.Create(options.LoadTestUsers, options.IdentityEngineEmailFactor);
        _current = new Snapshot(_seed, clock.GetUtcNow(), HashPassword(SeedPassword));
    }

    public SandboxOptions Options { get; }

    public TimeProvider Clock { get; }

    public IReadOnlyList<OrgUser> Users => Volatile.Read(ref _current).All;

    /// <summary>Open and recently finished push transactions by id.</summary>
    public ConcurrentDictionary<string, PushTransaction> Transactions => Volatile.Read(ref _current).Transactions;

    /// <summary>Back to the seed: new state objects for everyone, no transactions.</summary>
    public void Reset() => Volatile.Write(ref _current, new Snapshot(_seed, Clock.GetUtcNow(), HashPassword(SeedPassword)));

    /// <summary>By id, login (case-insensitive) or unambiguous login short name, as <c>/api/v1/users/{id}</c> accepts.</summary>
    public OrgUser? FindByIdOrLogin(string idOrLogin)
    {
        var snapshot = Volatile.Read(ref _current);
        if (snapshot.ById.TryGetValue(idOrLogin, out var user) || snapshot.ByLogin.TryGetValue(idOrLogin, out user))
        {
            return user;
        }

        return snapshot.ByShortName.TryGetValue(idOrLogin, out var candidates) && candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>By id only, as the factor and session paths take it.</summary>
    public OrgUser? FindById(string userId) =>
        Volatile.Read(ref _current).ById.GetValueOrDefault(userId);

    /// <summary>The user a factor id belongs to.</summary>
    public OrgUser? FindOwner(string factorId) =>
        Volatile.Read(ref _current).ByFactorId.GetValueOrDefault(factorId);

    /// <summary>By login, for the control API; throws for an unknown login.</summary>
    public OrgUser GetByLogin(string login) =>
        Volatile.Read(ref _current).ByLogin.GetValueOrDefault(login)
        ?? throw new KeyNotFoundException($"No sandbox user has the login '{login}'.");

    /// <summary>A keyed hash, so password history never holds a password, not even in memory.</summary>
    public byte[] HashPassword(string password) => HMACSHA256.HashData(_passwordKey, Encoding.UTF8.GetBytes(password));

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<SeedUser> seed, DateTimeOffset now, byte[] seedPasswordHash)
        {
            All = [.. seed.Select(s => new OrgUser(s, now, seedPasswordHash))];
            ById = All.ToDictionary(u => u.Seed.Id, StringComparer.Ordinal);
            ByLogin = All.ToDictionary(u => u.Seed.Login, StringComparer.OrdinalIgnoreCase);
            ByShortName = All
                .GroupBy(u => u.Seed.Login.Split('@')[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<OrgUser>)[.. g], StringComparer.OrdinalIgnoreCase);
            ByFactorId = All.SelectMany(u => u.Seed.Factors, (u, f) => (u, f)).ToDictionary(p => p.f.Id, p => p.u, StringComparer.Ordinal);
        }

        public IReadOnlyList<OrgUser> All { get; }

        public Dictionary<string, OrgUser> ById { get; }

        public Dictionary<string, OrgUser> ByLogin { get; }

        public Dictionary<string, IReadOnlyList<OrgUser>> ByShortName { get; }

        public Dictionary<string, OrgUser> ByFactorId { get; }

        public ConcurrentDictionary<string, PushTransaction> Transactions { get; } = new(StringComparer.Ordinal);
    }
}
