using System.Net;
using System.Text.Json;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class PasswordTests
{
    [Fact]
    public async Task AcceptedPasswordAnswersTheUserAndBecomesCurrent()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock.Advance(TimeSpan.FromHours(1));

        using var response = await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await TestSandbox.JsonAsync(response);
        Assert.Equal(sandbox.UserId(Demo.Sam), user.GetProperty("id").GetString());
        Assert.Equal(sandbox.Clock.GetUtcNow(), user.GetProperty("passwordChanged").GetDateTimeOffset());
        Assert.Empty(user.GetProperty("credentials").GetProperty("password").EnumerateObject());
        Assert.DoesNotContain(Demo.GoodPassword, user.GetRawText(), StringComparison.Ordinal);
        Assert.True(sandbox.Control.IsCurrentPassword(Demo.Sam, Demo.GoodPassword));
    }

    [Fact]
    public async Task PasswordBreakingEveryRuleGetsOneCausePerRuleWithoutEchoingIt()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        const string candidate = "multi";

        using var response = await sandbox.Http.PostAsync($"api/v1/users/{Demo.Max}?strict=true", JsonContentOf(candidate), TestContext.Current.CancellationToken);

        var body = await TestSandbox.AssertErrorAsync(response, 400, "E0000001");
        var causes = body.GetProperty("errorCauses").EnumerateArray().ToList();
        Assert.Equal(["LENGTH_MINIMUM", "UPPER_CASE_REQUIRED", "NUMBER_REQUIRED", "USERNAME_PARTS_NOT_ALLOWED"], causes.Select(c => c.GetProperty("reason").GetString()));
        Assert.All(causes, c =>
        {
            Assert.StartsWith("password: ", c.GetProperty("errorSummary").GetString(), StringComparison.Ordinal);
            Assert.Equal("credentials.password.value", c.GetProperty("location").GetString());
            Assert.Equal("body", c.GetProperty("locationType").GetString());
            Assert.Equal("user", c.GetProperty("domain").GetString());
        });
        Assert.DoesNotContain(candidate, body.GetRawText().Replace("max.multi", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.False(sandbox.Control.IsCurrentPassword(Demo.Max, candidate));
    }

    [Theory]
    [InlineData("Sh0rt", "LENGTH_MINIMUM")]
    [InlineData("ALLUPPER123", "LOWER_CASE_REQUIRED")]
    [InlineData("alllower123", "UPPER_CASE_REQUIRED")]
    [InlineData("NoDigitsHere", "NUMBER_REQUIRED")]
    [InlineData("Example-Pass1", "USERNAME_PARTS_NOT_ALLOWED")]
    [InlineData("VeraVoice12", "USERNAME_PARTS_NOT_ALLOWED")]
    public async Task EachRuleIsReportedOnItsOwn(string candidate, string reason)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SetPasswordAsync(Demo.Vera, candidate);

        var body = await TestSandbox.AssertErrorAsync(response, 400, "E0000001");
        Assert.Equal([reason], body.GetProperty("errorCauses").EnumerateArray().Select(c => c.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task ShortUsernamePartsAndTopLevelDomainsAreAllowedInPasswords()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SetPasswordAsync(Demo.Sam, "SamSmsCom-2024");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StrictUpdateRefusesAnyOfTheLastFourPasswords()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        string[] history = ["First-Passw0rd", "Second-Passw0rd", "Third-Passw0rd", "Fourth-Passw0rd"];
        foreach (var password in history)
        {
            (await sandbox.SetPasswordAsync(Demo.Sam, password)).EnsureSuccessStatusCode();
        }

        foreach (var password in history)
        {
            using var reuse = await sandbox.SetPasswordAsync(Demo.Sam, password);
            var body = await TestSandbox.AssertErrorAsync(reuse, 400, "E0000001");
            Assert.Equal(["PASSWORD_HISTORY"], body.GetProperty("errorCauses").EnumerateArray().Select(c => c.GetProperty("reason").GetString()));
        }

        (await sandbox.SetPasswordAsync(Demo.Sam, "Fifth-Passw0rd")).EnsureSuccessStatusCode();
        using var oldestAgain = await sandbox.SetPasswordAsync(Demo.Sam, "First-Passw0rd");
        Assert.Equal(HttpStatusCode.OK, oldestAgain.StatusCode);
    }

    [Fact]
    public async Task WithoutStrictHistoryIsNotChecked()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        (await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword)).EnsureSuccessStatusCode();

        using var strictReuse = await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword, strict: true);
        using var lenientReuse = await sandbox.SetPasswordAsync(Demo.Sam, Demo.GoodPassword, strict: false);
        using var lenientWeak = await sandbox.SetPasswordAsync(Demo.Sam, "weak", strict: false);

        await TestSandbox.AssertErrorAsync(strictReuse, 400, "E0000001");
        Assert.Equal(HttpStatusCode.OK, lenientReuse.StatusCode);
        await TestSandbox.AssertErrorAsync(lenientWeak, 400, "E0000001");
    }

    /// <summary>The spec's <c>strict</c>: "validates against minimum age and history password policy"; the policy list shows the age.</summary>
    [Fact]
    public async Task StrictUpdateWithinTheMinimumAgeIsRefusedUntilTheAgeHasPassed()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Policy.MinAgeMinutes = 60);
        (await sandbox.SetPasswordAsync(Demo.Sam, "First-Passw0rd")).EnsureSuccessStatusCode();
        sandbox.Clock.Advance(TimeSpan.FromMinutes(59));

        using var tooSoon = await sandbox.SetPasswordAsync(Demo.Sam, "Second-Passw0rd");
        using var lenient = await sandbox.SetPasswordAsync(Demo.Sam, "Third-Passw0rd", strict: false);
        sandbox.Clock.Advance(TimeSpan.FromMinutes(60));
        using var later = await sandbox.SetPasswordAsync(Demo.Sam, "Fourth-Passw0rd");
        using var policies = JsonDocument.Parse(await sandbox.Http.GetStringAsync("api/v1/policies?type=PASSWORD", TestContext.Current.CancellationToken));

        var body = await TestSandbox.AssertErrorAsync(tooSoon, 400, "E0000001");
        var cause = Assert.Single(body.GetProperty("errorCauses").EnumerateArray());
        Assert.Equal("PASSWORD_MIN_AGE", cause.GetProperty("reason").GetString());
        Assert.Equal("password: At least 60 minute(s) must have elapsed since you last changed your password.", cause.GetProperty("errorSummary").GetString());
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal([0, 60], policies.RootElement.EnumerateArray().Select(p => p.GetProperty("settings").GetProperty("password").GetProperty("age").GetProperty("minAgeMinutes").GetInt32()));
    }

    [Fact]
    public async Task UpdateWithoutAPasswordGets400()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.PostAsync($"api/v1/users/{sandbox.UserId(Demo.Sam)}", new StringContent("""{"profile":{"firstName":"Samuel"}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 400, "E0000001");
    }

    [Fact]
    public async Task UnknownUserGets404()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.Http.PostAsync("api/v1/users/00uNobodyAtAll00000", JsonContentOf(Demo.GoodPassword), TestContext.Current.CancellationToken);

        await TestSandbox.AssertErrorAsync(response, 404, "E0000007");
    }

    private static StringContent JsonContentOf(string password) =>
        new(JsonSerializer.Serialize(new { credentials = new { password = new { value = password } } }), System.Text.Encoding.UTF8, "application/json");
}
