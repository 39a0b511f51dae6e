using MfaReset.Okta;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset.Policy;

/// <summary>
/// <c>Reset:AdminCheck=OrgList</c>: the org's administrators are read for everyone (direct role holders and the
/// members of groups holding a role, page by page) and kept for <c>Reset:AdminListRefreshInterval</c>, so a
/// reset costs no Okta call for the admin check; what that means for someone made an administrator since.
/// </summary>
public sealed class OrgAdminListTests
{
    private readonly CancellationToken _ct = CancellationToken.None;

    private static int DirectoryCalls(FlowHarness h) =>
        h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)) + h.Okta.CountOf(nameof(IOktaRoleDirectory.ListGroupsAsync))
        + h.Okta.CountOf(nameof(IOktaRoleDirectory.ListGroupRolesAsync)) + h.Okta.CountOf(nameof(IOktaRoleDirectory.ListGroupMemberIdsAsync));

    [Fact]
    public async Task TheListIsReadOnceForManyResetsAndNoRoleCallIsMadePerReset()
    {
        var h = new FlowHarness();
        h.Okta.AddUser("first@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.AddUser("second@example.com", kinds: [FactorKind.OktaVerifyTotp]);

        await h.VerifiedAsync("first@example.com");
        var afterFirst = DirectoryCalls(h);
        await h.VerifiedAsync("second@example.com");

        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, DirectoryCalls(h));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
    }

    [Fact]
    public async Task EveryPageOfEveryListIsReadSoAnAdminOnALaterPageIsStillFound()
    {
        var h = new FlowHarness();
        foreach (var name in new[] { "a1", "a2", "a3" })
        {
            h.Okta.Roles[h.Okta.AddUser(name + "@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id] = [new OktaRole("ORG_ADMIN", "ACTIVE", "USER")];
        }

        var viaGroup = h.Okta.AddUser("g@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id;
        h.Okta.Roles[viaGroup] = [new OktaRole("HELP_DESK_ADMIN", "ACTIVE", "GROUP")];
        var lastAdmin = h.Okta.Users["a3@example.com"].Id;

        Assert.Equal(new AdminReading.Known(true), await h.AdminList.IsAdminAsync(lastAdmin, _ct));
        Assert.Equal(new AdminReading.Known(true), await h.AdminList.IsAdminAsync(viaGroup, _ct));
        Assert.Equal(3, h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
    }

    /// <summary>The trade-off of the cached list, both sides: not yet refused before the next read, refused from it on.</summary>
    [Fact]
    public async Task SomeoneMadeAdminAfterTheListWasReadIsRefusedFromTheNextRefreshOn()
    {
        var h = new FlowHarness(o => o.AdminListRefreshInterval = TimeSpan.FromMinutes(30));
        var ada = h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        await h.VerifiedAsync("ada@example.com");

        h.Okta.Roles[ada.Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];
        var beforeRefresh = await h.AdminList.IsAdminAsync(ada.Id, _ct);
        await h.AdminList.RefreshAsync(_ct);
        h.Clock.Advance(TimeSpan.FromMinutes(11)); // past the used-code record: the same code may verify again
        var secret = await h.ChooseAsync("ada@example.com", FactorKind.OktaVerifyTotp);
        var afterRefresh = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(new AdminReading.Known(false), beforeRefresh);
        Assert.Equal(FlowProblem.AdminAccount, Assert.IsType<VerifyCodeResult.Failed>(afterRefresh).Problem);
    }

    [Fact]
    public async Task AFailedRefreshKeepsTheLastListUntilItIsTwiceTheIntervalOldThenFailsClosed()
    {
        var h = new FlowHarness();
        var ada = h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Roles[ada.Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];
        Assert.Equal(new AdminReading.Known(true), await h.AdminList.IsAdminAsync(ada.Id, _ct));
        var unavailable = new OktaResult<OktaPage<string>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true));

        h.Okta.NextDirectoryPage.Enqueue(unavailable);
        await h.AdminList.RefreshAsync(_ct);
        h.Clock.Advance(h.Options.AdminListRefreshInterval * 2 - TimeSpan.FromSeconds(1));
        var stillKnown = await h.AdminList.IsAdminAsync(ada.Id, _ct);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Okta.NextDirectoryPage.Enqueue(unavailable);
        var tooOld = await h.AdminList.IsAdminAsync(ada.Id, _ct);

        Assert.Equal(new AdminReading.Known(true), stillKnown);
        Assert.Equal(new AdminReading.Unreadable(Throttled: false), tooOld);
    }

    [Fact]
    public async Task ACursorThatDoesNotMoveMakesTheListUnreadableInsteadOfLooping()
    {
        var h = new FlowHarness();
        var stuck = new OktaResult<OktaPage<string>>.Ok(new OktaPage<string>(["00uadmin1"], "00uadmin1"));
        h.Okta.NextDirectoryPage.Enqueue(stuck);
        h.Okta.NextDirectoryPage.Enqueue(stuck);

        var reading = await h.AdminList.IsAdminAsync("00uanyone", _ct);

        Assert.Equal(new AdminReading.Unreadable(Throttled: false), reading);
        Assert.Equal(2, h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)));
    }

    /// <summary>The background refresh: a read at start, then one per interval, so a new administrator is refused within one interval.</summary>
    [Fact]
    public async Task TheRefreshReadsTheListAtStartAndAgainEveryInterval()
    {
        var h = new FlowHarness();
        using var refresh = new OrgAdminListRefresh(h.AdminList, h.Clock, Microsoft.Extensions.Options.Options.Create(h.Options));

        await refresh.StartAsync(_ct);
        await Eventually.TrueAsync(() => h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)) == 1, "the list is read at start");
        var ada = h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Roles[ada.Id] = [new OktaRole("ORG_ADMIN", "ACTIVE", "USER")];
        var beforeInterval = h.Clock.GetUtcNow();

        // The loop's wait may start just after a step of the clock: step again until the second read has started.
        await Eventually.TrueAsync(
            () =>
            {
                h.Clock.Advance(h.Options.AdminListRefreshInterval / 10);
                return h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)) >= 2;
            },
            "the list is read again an interval later");
        await refresh.StopAsync(_ct);

        Assert.True(h.Clock.GetUtcNow() - beforeInterval >= h.Options.AdminListRefreshInterval, "not read again before the interval had passed");
        Assert.Equal(new AdminReading.Known(true), await h.AdminList.IsAdminAsync(ada.Id, _ct));
    }

    [Theory]
    [InlineData(AdminCheckMode.PerReset, false)]
    [InlineData(AdminCheckMode.OrgList, true)]
    public async Task TheRefreshReadsNothingWhenTheListIsNotInUse(AdminCheckMode mode, bool allowAdmins)
    {
        var h = new FlowHarness(o => (o.AdminCheck, o.AllowAdmins) = (mode, allowAdmins));
        using var refresh = new OrgAdminListRefresh(h.AdminList, h.Clock, Microsoft.Extensions.Options.Options.Create(h.Options));

        await refresh.StartAsync(_ct);
        h.Clock.Advance(h.Options.AdminListRefreshInterval * 3);
        await (refresh.ExecuteTask ?? Task.CompletedTask);

        Assert.Equal(0, DirectoryCalls(h));
    }
}
