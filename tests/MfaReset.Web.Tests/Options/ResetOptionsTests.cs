using MfaReset.Okta;
using MfaReset.Web.Options;
using MfaReset.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace MfaReset.Web.Tests.Options;

public sealed class ResetOptionsTests
{
    private static List<string> Problems(ResetOptions options, bool longPushWaits = false) =>
        [.. new ResetOptionsValidator().Validate(ResetOptions.SectionName, options).Failures ?? [],
            .. new ResetLifetimeCaps(Microsoft.Extensions.Options.Options.Create(new BenchmarkOptions { LongPushWaits = longPushWaits }))
                .Validate(ResetOptions.SectionName, options).Failures ?? []];

    [Fact]
    public void DefaultsAreValidAndBelowOktasLockout()
    {
        var options = new ResetOptions();

        Assert.Empty(Problems(options));
        Assert.True(options.Limits.CodeAttemptsPerUser < ResetLimits.OktaLockoutThreshold);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(15), options.FlowLifetime);
        Assert.Equal(ResetOptions.SupportedKinds.Where(k => k != FactorKind.Email), options.OfferedKinds);
        Assert.True(options.AllowUnlock);
        Assert.Equal(5000, options.Limits.SendsPerDayGlobal);
        Assert.Equal(TimeSpan.FromMinutes(1), options.OktaClockSkew);
    }

    [Fact]
    public void NoDailySendBudgetOrALooseClockAllowanceIsRefused()
    {
        var noBudget = new ResetOptions();
        noBudget.Limits.SendsPerDayGlobal = 0;

        Assert.Contains(Problems(noBudget), p => p.Contains("SendsPerDayGlobal", StringComparison.Ordinal));
        Assert.NotEmpty(Problems(new ResetOptions { OktaClockSkew = TimeSpan.FromMinutes(6) }));
        Assert.NotEmpty(Problems(new ResetOptions { OktaClockSkew = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void AFallbackComplexityWithANegativeNumberIsRefusedAtStart()
    {
        var options = new ResetOptions { PasswordComplexity = new PasswordComplexityOptions { MinLength = -1, HistoryCount = 4 } };

        Assert.Contains(Problems(options), p => p.Contains("MinLength", StringComparison.Ordinal));
        Assert.Empty(Problems(new ResetOptions { PasswordComplexity = new PasswordComplexityOptions { MinLength = 12, HistoryCount = 4 } }));
    }

    [Fact]
    public void PerPersonCodeLimitAtOktasLockoutIsRefused()
    {
        var options = new ResetOptions();
        options.Limits.CodeAttemptsPerUser = 5;

        Assert.Contains(Problems(options), p => p.Contains("CodeAttemptsPerUser", StringComparison.Ordinal));
    }

    [Fact]
    public void LongerLifetimesThanTheRequirementsAreRefused()
    {
        Assert.NotEmpty(Problems(new ResetOptions { TokenLifetime = TimeSpan.FromMinutes(11) }));
        Assert.NotEmpty(Problems(new ResetOptions { FlowLifetime = TimeSpan.FromMinutes(16) }));
        Assert.NotEmpty(Problems(new ResetOptions { IdleTimeout = TimeSpan.FromMinutes(6) }));
        Assert.Contains(Problems(new ResetOptions { PushLifetime = TimeSpan.FromMinutes(6) }), p => p.Contains("Okta's own push lifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyTheLoadDriversSwitchKeepsPushesAndFlowsPendingBeyondOktasFiveMinutesAndNeverBeyondAnHour()
    {
        var benchmark = new ResetOptions { PushLifetime = TimeSpan.FromHours(1), IdleTimeout = TimeSpan.FromHours(1), FlowLifetime = TimeSpan.FromHours(1) };

        Assert.Equal(3, Problems(benchmark).Count);
        Assert.Empty(Problems(benchmark, longPushWaits: true));
        Assert.NotEmpty(Problems(new ResetOptions { PushLifetime = TimeSpan.FromMinutes(61) }, longPushWaits: true));
        Assert.NotEmpty(Problems(new ResetOptions { FlowLifetime = TimeSpan.FromMinutes(61) }, longPushWaits: true));
    }

    [Fact]
    public void EnrolledMenuNeedsADecoyKey()
    {
        Assert.Contains(Problems(new ResetOptions { FactorMenu = FactorMenuMode.Enrolled }), p => p.Contains("DecoyKey", StringComparison.Ordinal));
        Assert.Empty(Problems(new ResetOptions { FactorMenu = FactorMenuMode.Enrolled, DecoyKey = new string('k', 32) }));
    }

    [Fact]
    public void UnsupportedKindsCannotBeEnabled() =>
        Assert.NotEmpty(Problems(new ResetOptions { EnabledFactorKinds = [FactorKind.Unsupported] }));

    [Fact]
    public async Task PortalRefusesToStartWithInvalidOptions()
    {
        await using var app = new InvalidPortal();
        await app.InitializeAsync();

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Reset.Limits.CodeAttemptsPerUser must be between 1 and 4", error.Message, StringComparison.Ordinal);
    }

    private sealed class InvalidPortal : PortalApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Reset:Limits:CodeAttemptsPerUser"] = "5",
        };
    }
}
