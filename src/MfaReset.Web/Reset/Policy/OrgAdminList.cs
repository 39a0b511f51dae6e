namespace MfaReset.Web.Reset.Policy;

/// <summary>Whether a person holds an Okta administrator role, or why that could not be told.</summary>
public abstract record AdminReading
{
    private AdminReading()
    {
    }

    public sealed record Known(bool IsAdmin) : AdminReading;

    /// <summary>Okta did not answer usably; <paramref name="Throttled"/> when it rate-limited the portal.</summary>
    public sealed record Unreadable(bool Throttled) : AdminReading;
}

/// <summary>
/// The org's administrators, read once for everyone instead of once per reset (<see cref="AdminCheckMode.OrgList"/>):
/// the users holding a role themselves (<c>GET /api/v1/iam/assignees/users</c>) and the members of every group
/// holding one (<c>GET /api/v1/groups</c>, each group's <c>/roles</c>, and the members of those that hold any),
/// every list walked page by page. <see cref="OrgAdminListRefresh"/> reads it again every
/// <see cref="ResetOptions.AdminListRefreshInterval"/>; a list older than twice that is not trusted and is read
/// again before anyone is answered. A failed read keeps the last good list until it is too old: then the
/// check fails closed, as the per-reset call does.
/// </summary>
public sealed class OrgAdminList(IOktaRoleDirectory okta, TimeProvider time, IOptions<ResetOptions> options, ILogger<OrgAdminList> logger) : IDisposable
{
    /// <summary>More pages than any org has: a cursor that never ends is an unreadable list, not a loop.</summary>
    internal const int MaxPages = 10_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _current;

    /// <summary>Whether the Okta user <paramref name="userId"/> is an administrator, by the current list.</summary>
    public async Task<AdminReading> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (Trusted(Volatile.Read(ref _current)) is not { } list)
        {
            var read = await RefreshAsync(onlyIfUntrusted: true, cancellationToken).ConfigureAwait(false);
            if (read is AdminReading.Unreadable unreadable)
            {
                return unreadable;
            }

            list = Volatile.Read(ref _current)!;
        }

        return new AdminReading.Known(list.AdminIds.Contains(userId));
    }

    /// <summary>Reads the list again; the last good one stays when this read fails.</summary>
    public Task<AdminReading?> RefreshAsync(CancellationToken cancellationToken) => RefreshAsync(onlyIfUntrusted: false, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<AdminReading?> RefreshAsync(bool onlyIfUntrusted, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (onlyIfUntrusted && Trusted(Volatile.Read(ref _current)) is not null)
            {
                return null;
            }

            var started = time.GetTimestamp();
            var read = await ReadAsync(ct).ConfigureAwait(false);
            if (read.Failure is { } failure)
            {
                logger.AdminListUnreadable(read.Calls, failure.Throttled);
                return failure;
            }

            Volatile.Write(ref _current, new Snapshot(time.GetUtcNow(), read.AdminIds));
            logger.AdminListRead(read.AdminIds.Count, read.Calls, (long)time.GetElapsedTime(started).TotalMilliseconds);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Snapshot? Trusted(Snapshot? snapshot) =>
        snapshot is not null && time.GetUtcNow() - snapshot.ReadAt < 2 * options.Value.AdminListRefreshInterval ? snapshot : null;

    private async Task<ListRead> ReadAsync(CancellationToken ct)
    {
        var admins = new HashSet<string>(StringComparer.Ordinal);
        var calls = 0;
        var direct = await EveryPageAsync(after => okta.ListRoleAssigneesAsync(after, ct), admins.UnionWith, () => calls++).ConfigureAwait(false);
        if (direct is not null)
        {
            return new ListRead(admins, calls, direct);
        }

        var groups = new List<OktaGroup>();
        var listed = await EveryPageAsync(after => okta.ListGroupsAsync(after, ct), groups.AddRange, () => calls++).ConfigureAwait(false);
        if (listed is not null)
        {
            return new ListRead(admins, calls, listed);
        }

        foreach (var group in groups)
        {
            calls++;
            switch (await okta.ListGroupRolesAsync(group.Id, ct).ConfigureAwait(false))
            {
                case OktaResult<IReadOnlyList<OktaRole>>.Ok { Value.Count: 0 }:
                    continue;
                case OktaResult<IReadOnlyList<OktaRole>>.Ok:
                    var members = await EveryPageAsync(after => okta.ListGroupMemberIdsAsync(group.Id, after, ct), admins.UnionWith, () => calls++).ConfigureAwait(false);
                    if (members is not null)
                    {
                        return new ListRead(admins, calls, members);
                    }

                    break;
                case var failed:
                    return new ListRead(admins, calls, Failure(failed));
            }
        }

        return new ListRead(admins, calls, null);
    }

    /// <summary>Walks a paged list to its end; the failure that stopped it, or null.</summary>
    private static async Task<AdminReading.Unreadable?> EveryPageAsync<T>(Func<string?, Task<OktaResult<OktaPage<T>>>> readPage, Action<IReadOnlyList<T>> take, Action counted)
    {
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            counted();
            switch (await readPage(after).ConfigureAwait(false))
            {
                case OktaResult<OktaPage<T>>.Ok { Value: var read }:
                    take(read.Items);
                    if (read.After is null)
                    {
                        return null;
                    }

                    if (string.Equals(read.After, after, StringComparison.Ordinal))
                    {
                        // A cursor that does not move would read the same page forever.
                        return new AdminReading.Unreadable(Throttled: false);
                    }

                    after = read.After;
                    break;
                case var failed:
                    return Failure(failed);
            }
        }

        return new AdminReading.Unreadable(Throttled: false);
    }

    private static AdminReading.Unreadable Failure<T>(OktaResult<T> failed) => new(Throttled: failed is OktaResult<T>.Throttled);

    private sealed record Snapshot(DateTimeOffset ReadAt, IReadOnlySet<string> AdminIds);

    private sealed record ListRead(IReadOnlySet<string> AdminIds, int Calls, AdminReading.Unreadable? Failure);
}

/// <summary>Reads <see cref="OrgAdminList"/> at start and then every <see cref="ResetOptions.AdminListRefreshInterval"/>, when the list is in use.</summary>
public sealed class OrgAdminListRefresh(OrgAdminList list, TimeProvider time, IOptions<ResetOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AllowAdmins || options.Value.AdminCheck != AdminCheckMode.OrgList)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await list.RefreshAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(options.Value.AdminListRefreshInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}

internal static partial class AdminListLog
{
    [LoggerMessage(1500, LogLevel.Information, "The org's administrators were read: {Admins} users, {Calls} Okta calls, {ElapsedMs} ms")]
    public static partial void AdminListRead(this ILogger logger, int admins, int calls, long elapsedMs);

    [LoggerMessage(1501, LogLevel.Warning, "The org's administrators could not be read after {Calls} Okta calls (throttled: {Throttled}); the last list is kept until it is too old, then no reset is offered until the list can be read")]
    public static partial void AdminListUnreadable(this ILogger logger, int calls, bool throttled);
}
