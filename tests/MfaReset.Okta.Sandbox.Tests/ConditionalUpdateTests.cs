using System.Net;
using System.Net.Http.Json;

namespace MfaReset.Okta.Sandbox.Tests;

/// <summary>
/// getUser's weak <c>ETag</c> and updateUser's <c>If-Match</c> (spec, <c>/api/v1/users/{id}</c>): a set applies only
/// to the version its tag names; any change to the user makes a new tag.
/// </summary>
public sealed class ConditionalUpdateTests
{
    private const string OtherPassword = "Another-Lantern-58";

    private static async Task<string> ETagAsync(TestSandbox sandbox, string login)
    {
        using var response = await sandbox.Http.GetAsync($"api/v1/users/{sandbox.UserId(login)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(etag.IsWeak);
        return etag.ToString();
    }

    private static Task<HttpResponseMessage> SetIfMatchAsync(TestSandbox sandbox, string login, string password, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{sandbox.UserId(login)}?strict=true")
        {
            Content = JsonContent.Create(new { credentials = new { password = new { value = password } } }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return sandbox.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheUserReadsWithAWeakETagThatStaysWhileNothingChanges()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var first = await ETagAsync(sandbox, Demo.Sam);

        Assert.Matches("^W/\"[0-9a-f]{16}\"$", first);
        Assert.Equal(first, await ETagAsync(sandbox, Demo.Sam));
        Assert.NotEqual(first, await ETagAsync(sandbox, Demo.Vera));
    }

    [Fact]
    public async Task ASetNamingTheCurrentVersionApplies()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromHours(1));
        var current = await ETagAsync(sandbox, Demo.Sam);

        using var set = await SetIfMatchAsync(sandbox, Demo.Sam, Demo.GoodPassword, current);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True(sandbox.Control.IsCurrentPassword(Demo.Sam, Demo.GoodPassword));
        Assert.NotEqual(current, await ETagAsync(sandbox, Demo.Sam));
    }

    [Fact]
    public async Task ASetNamingAVersionBeforeAPasswordSetElsewhereIsRefusedAndChangesNothing()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromHours(1));
        var stale = await ETagAsync(sandbox, Demo.Sam);
        (await sandbox.SetPasswordAsync(Demo.Sam, OtherPassword)).EnsureSuccessStatusCode(); // within the same clock tick

        using var refused = await SetIfMatchAsync(sandbox, Demo.Sam, Demo.GoodPassword, stale);

        await TestSandbox.AssertErrorAsync(refused, 412, "E0000000");
        Assert.True(sandbox.Control.IsCurrentPassword(Demo.Sam, OtherPassword));
        Assert.False(sandbox.Control.IsCurrentPassword(Demo.Sam, Demo.GoodPassword));
    }

    [Fact]
    public async Task AnUnlockIsAChangeThatStalesTheTag()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var stale = await ETagAsync(sandbox, Demo.Lou);
        (await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Lou)}/lifecycle/unlock", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        using var refused = await SetIfMatchAsync(sandbox, Demo.Lou, Demo.GoodPassword, stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.False(sandbox.Control.IsCurrentPassword(Demo.Lou, Demo.GoodPassword));
    }

    [Theory]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("not a tag", HttpStatusCode.PreconditionFailed)]
    [InlineData("W/\"0000000000000000\"", HttpStatusCode.PreconditionFailed)]
    public async Task AnyTagMatchesOnlyAsStarAndAMalformedOneMatchesNothing(string ifMatch, HttpStatusCode status)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromHours(1));

        using var set = await SetIfMatchAsync(sandbox, Demo.Sam, Demo.GoodPassword, ifMatch);

        Assert.Equal(status, set.StatusCode);
        Assert.Equal(status == HttpStatusCode.OK, sandbox.Control.IsCurrentPassword(Demo.Sam, Demo.GoodPassword));
    }

    [Fact]
    public async Task TheStrongFormOfTheCurrentTagMatchesByWeakComparison()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromHours(1));
        var current = await ETagAsync(sandbox, Demo.Sam);

        using var set = await SetIfMatchAsync(sandbox, Demo.Sam, Demo.GoodPassword, current[2..]);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
    }
}
