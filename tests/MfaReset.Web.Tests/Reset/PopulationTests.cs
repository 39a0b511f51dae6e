using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.State;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset;

/// <summary>
/// Who holds the password (<c>credentials.provider</c>), the user's status and admin roles decide what a
/// verified person is offered; before verification every account walks the same steps.
/// </summary>
public sealed class PopulationTests
{
    private const string NewPassword = "Correct-Horse-42";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static async Task<VerifyCodeResult> VerifyAsync(FlowHarness h, string login, string provider = "OKTA", OktaUserStatus status = OktaUserStatus.Active)
    {
        h.Okta.AddUser(login, status, provider, FactorKind.OktaVerifyTotp);
        var secret = await h.ChooseAsync(login, FactorKind.OktaVerifyTotp);
        return await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("OKTA")]
    [InlineData("IMPORT")]
    public async Task UserWhosePasswordOktaHoldsResetsNormally(string provider)
    {
        var h = new FlowHarness();

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "ivy@example.com", provider));
        var changed = await h.Flow.ChangePasswordAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, NewPassword, _ct);

        Assert.IsType<ChangePasswordResult.Changed>(changed);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Theory]
    [InlineData("ACTIVE_DIRECTORY")]
    [InlineData("LDAP")]
    public async Task DirectoryUserGoesToTheHelpDeskAfterVerificationByDefault(string provider)
    {
        var h = new FlowHarness();

        var result = await VerifyAsync(h, "dirk@example.com", provider);

        Assert.Equal(FlowProblem.HelpDesk, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.VerifyPasscodeAsync)));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
        Assert.Contains(h.Logs.OfEvent(1020), r => r.Value("Reason") == "help-desk");
    }

    [Theory]
    [InlineData("ACTIVE_DIRECTORY")]
    [InlineData("LDAP")]
    public async Task DirectoryUserSetsThePasswordThroughOktaWhenConfigured(string provider)
    {
        var h = new FlowHarness(o => o.DirectoryUsers = DirectoryUsersMode.SetThroughOkta);

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "dirk@example.com", provider));
        var changed = await h.Flow.ChangePasswordAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, NewPassword, _ct);

        Assert.IsType<ChangePasswordResult.Changed>(changed);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Theory]
    [InlineData("FEDERATION")]
    [InlineData("SOCIAL")]
    public async Task UserOfAnIdentityProviderIsToldToSignInThereAfterVerification(string provider)
    {
        var h = new FlowHarness(o => o.DirectoryUsers = DirectoryUsersMode.SetThroughOkta);

        var result = await VerifyAsync(h, "fred@example.com", provider);

        Assert.Equal(FlowProblem.IdentityProvider, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task UnknownCredentialsProviderGoesToTheHelpDesk()
    {
        var h = new FlowHarness(o => o.DirectoryUsers = DirectoryUsersMode.SetThroughOkta);

        var result = await VerifyAsync(h, "x@example.com", "SOMETHING_NEW");

        Assert.Equal(FlowProblem.HelpDesk, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
    }

    [Theory]
    [InlineData("OKTA")]
    [InlineData("ACTIVE_DIRECTORY")]
    [InlineData("FEDERATION")]
    public async Task BeforeVerificationEveryPopulationSeesTheSameMenuAndCallsAsAnyone(string provider)
    {
        var h = new FlowHarness();
        h.Okta.AddUser("someone@example.com", OktaUserStatus.Active, provider, FactorKind.OktaVerifyTotp);

        var secret = await h.StartAsync("someone@example.com");
        var menu = Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, _ct));

        Assert.Equal(h.Options.OfferedKinds, menu.Options.Select(o => o.Kind));
        Assert.Equal([nameof(IOktaClient.GetUserAsync), nameof(IOktaClient.ListFactorsAsync)], h.Okta.Calls);
    }

    [Fact]
    public async Task AdminIsRefusedAfterVerificationAndNoTokenIsIssued()
    {
        var h = new FlowHarness();
        h.Okta.Roles[h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];
        var secret = await h.ChooseAsync("ada@example.com", FactorKind.OktaVerifyTotp);

        var result = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);
        var afterwards = await h.Flow.GetMenuAsync(secret, _ct);

        Assert.Equal(FlowProblem.AdminAccount, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(FlowProblem.AdminAccount, Assert.IsType<MenuResult.Failed>(afterwards).Problem);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)));
        Assert.Empty(h.Logs.OfEvent(1007));
    }

    [Fact]
    public async Task AdminCheckPerResetAsksOktaForThePersonsRolesInsteadOfTheOrgList()
    {
        var h = new FlowHarness(o => o.AdminCheck = AdminCheckMode.PerReset);
        h.Okta.Roles[h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];
        var secret = await h.ChooseAsync("ada@example.com", FactorKind.OktaVerifyTotp);

        var result = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(FlowProblem.AdminAccount, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.Equal(1, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaRoleDirectory.ListRoleAssigneesAsync)));
    }

    [Fact]
    public async Task AdminRoleThroughAGroupCountsToo()
    {
        var h = new FlowHarness();
        h.Okta.Roles[h.Okta.AddUser("grace@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id] = [new OktaRole("HELP_DESK_ADMIN", "ACTIVE", "GROUP")];
        var secret = await h.ChooseAsync("grace@example.com", FactorKind.OktaVerifyTotp);

        var result = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(FlowProblem.AdminAccount, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task AdminResetsWhenAdminsAreAllowedAndRolesAreNotAsked()
    {
        var h = new FlowHarness(o => o.AllowAdmins = true);
        h.Okta.Roles[h.Okta.AddUser("ada@example.com", kinds: [FactorKind.OktaVerifyTotp]).Id] = [new OktaRole("SUPER_ADMIN", "ACTIVE", "USER")];

        var verified = await h.VerifiedAsync("ada@example.com");

        Assert.NotNull(verified.ResetToken);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.ListAssignedRolesAsync)));
    }

    [Fact]
    public async Task RolesThatCannotBeReadFailClosedAndKeepTheFlow()
    {
        var h = new FlowHarness(o => o.AdminCheck = AdminCheckMode.PerReset);
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.NextRoles.Enqueue(new OktaResult<IReadOnlyList<OktaRole>>.Unavailable(new OktaUnavailable(OktaUnavailableKind.Timeout, RequestMayHaveReachedOkta: true)));
        var secret = await h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        var result = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(FlowProblem.Unavailable, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, _ct));
        Assert.Empty(h.Logs.OfEvent(1007));
    }

    [Fact]
    public async Task AnOrgListOfAdminsThatCannotBeReadFailsClosedAndKeepsTheFlow()
    {
        var h = new FlowHarness();
        h.Okta.AddUser("ann@example.com", kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.NextDirectoryPage.Enqueue(new OktaResult<OktaPage<string>>.Throttled(new OktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.", null, [], null)));
        var secret = await h.ChooseAsync("ann@example.com", FactorKind.OktaVerifyTotp);

        var result = await h.Flow.VerifyCodeAsync(secret, FakeOktaClient.ValidCode, _ct);

        Assert.Equal(FlowProblem.Busy, Assert.IsType<VerifyCodeResult.Failed>(result).Problem);
        Assert.IsType<MenuResult.Menu>(await h.Flow.GetMenuAsync(secret, _ct));
        Assert.Empty(h.Logs.OfEvent(1007));
        Assert.Single(h.Logs.OfEvent(1501));
    }

    [Theory]
    [InlineData(OktaUserStatus.PasswordExpired)]
    [InlineData(OktaUserStatus.Recovery)]
    public async Task ExpiredOrRecoveringUserResets(OktaUserStatus status)
    {
        var h = new FlowHarness();

        var verified = Assert.IsType<VerifyCodeResult.Verified>(await VerifyAsync(h, "paige@example.com", status: status));

        Assert.IsType<ChangePasswordResult.Changed>(await h.Flow.ChangePasswordAsync(verified.Credentials.FlowSecret, verified.Credentials.ResetToken, NewPassword, _ct));
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.UnlockUserAsync)));
    }
}
