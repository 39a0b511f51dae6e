using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using MfaReset.Okta;
using MfaReset.Testing;
using MfaReset.Web.Options;
using MfaReset.Web.Reset;
using MfaReset.Web.Reset.Audit;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace MfaReset.Web.Tests.Reset.Policy;

/// <summary>
/// The portal's own password checks (security.md 38, 39), before any Okta call and spending no attempt:
/// common passwords, the person's own words, and the optional k-anonymity breach check, tested against a
/// WireMock server answering in the range API's format.
/// </summary>
public sealed class PasswordCheckTests : IDisposable
{
    private const string Login = "annabel.quist@example.com";
    private const string Good = "Correct-Horse-42";
    private readonly FlowHarness _h = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly WireMockServer _range = WireMockServer.Start();

    public PasswordCheckTests()
    {
        var user = _h.Okta.AddUser(Login, kinds: [FactorKind.OktaVerifyTotp]);
        _h.Okta.Users[Login] = user with { Email = "aq@mail.example.net", FirstName = "Annabel", LastName = "Quist" };
        _h.PasswordOptions.BreachCheck.RangeUrl = new Uri(_range.Url + "/range/");
        // Generous: the first request to a fresh WireMock server is slow; only the timeout test shortens it.
        _h.PasswordOptions.BreachCheck.Timeout = TimeSpan.FromSeconds(5);
    }

    private int SetPasswordCalls => _h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync));

    [Theory]
    [InlineData("password")]
    [InlineData("iloveyou")]
    [InlineData("P@ssw0rd")]
    [InlineData("letmein")]
    [InlineData("11111111")]
    public async Task ACommonPasswordIsRefusedBeforeOkta(string password)
    {
        var result = await ChangeAsync(password);

        Assert.Contains(PasswordWeakness.Common, Assert.IsType<ChangePasswordResult.Weak>(result).Weaknesses);
        Assert.Equal(0, SetPasswordCalls);
    }

    [Theory]
    [InlineData("Annabel-Rides-2026")]
    [InlineData("xx-QUIST-Mountain-91")]
    [InlineData("Blue-annabel.quist-77")]
    [InlineData("Velvet-aq-mail-Lantern-3")]
    public async Task APasswordWithTheUsernameOrAPartOfTheNameOrEmailIsRefusedBeforeOkta(string password)
    {
        var result = await ChangeAsync(password);

        Assert.Equal([PasswordWeakness.Personal], Assert.IsType<ChangePasswordResult.Weak>(result).Weaknesses);
        Assert.Equal(0, SetPasswordCalls);
    }

    [Fact]
    public async Task ARefusedPasswordSpendsNoAttemptAndTheTokenStaysUsable()
    {
        var credentials = await _h.VerifiedAsync(Login);
        for (var i = 0; i < 10; i++)
        {
            Assert.IsType<ChangePasswordResult.Weak>(await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, "password", _ct));
        }

        var good = await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, Good, _ct);

        Assert.IsType<ChangePasswordResult.Changed>(good);
        Assert.Contains(_h.Logs.OfEvent(1014), r => r.Value("Reasons")!.Split(',').Contains("Common"));
    }

    [Fact]
    public async Task WithTheBreachCheckOffNothingIsAsked()
    {
        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(Good));

        Assert.Empty(_range.LogEntries);
    }

    [Fact]
    public async Task ABreachedPasswordIsRefusedAndOnlyTheFirstFiveHexCharactersOfItsSha1AreSentWithPadding()
    {
        _h.PasswordOptions.BreachCheck.Enabled = true;
        var (prefix, suffix) = Sha1Parts(Good);
        ServeRange(prefix, $"{suffix}:3861");

        var result = await ChangeAsync(Good);

        Assert.Equal([PasswordWeakness.Breached], Assert.IsType<ChangePasswordResult.Weak>(result).Weaknesses);
        Assert.Equal(0, SetPasswordCalls);
        var request = Assert.Single(_range.LogEntries).RequestMessage;
        Assert.Equal("/range/" + prefix, request.Path);
        Assert.Equal("true", request.Headers!["Add-Padding"].Single());
        Assert.DoesNotContain(suffix, request.AbsoluteUrl, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Good, request.AbsoluteUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordOnlyInThePaddingOrAbsentIsAccepted()
    {
        _h.PasswordOptions.BreachCheck.Enabled = true;
        var (prefix, suffix) = Sha1Parts(Good);
        ServeRange(prefix, $"{suffix}:0");

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(Good));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(-1)] // no answer within the timeout
    public async Task AFailingRangeServiceNeverBlocksTheResetAndIsLoggedAndCounted(int status)
    {
        using var failures = new MetricCollector<long>(_h.Meters, PortalMetrics.MeterName, "mfareset.password_breach_check.failures");
        _h.PasswordOptions.BreachCheck.Enabled = true;
        _h.PasswordOptions.BreachCheck.Timeout = TimeSpan.FromMilliseconds(300);
        var response = Response.Create();
        _range.Given(Request.Create().WithPath("/range/*").UsingGet())
            .RespondWith(status > 0 ? response.WithStatusCode(status) : response.WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)));

        Assert.IsType<ChangePasswordResult.Changed>(await ChangeAsync(Good));
        Assert.NotEmpty(_h.Logs.OfEvent(1015));
        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    /// <summary>The org's policy as the demo configures it (appsettings.json's <c>Reset:PasswordComplexity</c>).</summary>
    private static PasswordComplexityOptions OrgPolicy() => new()
    {
        MinLength = 8, MinLowerCase = 1, MinUpperCase = 1, MinNumber = 1, ExcludeUsername = true, HistoryCount = 4,
    };

    private static readonly PasswordRule Length = PasswordRule.MinLength(8);
    private static readonly PasswordRule Uppercase = PasswordRule.Of(PasswordRuleKind.Uppercase) with { Count = 1 };
    private static readonly PasswordRule Number = PasswordRule.Of(PasswordRuleKind.Number) with { Count = 1 };
    private static readonly PasswordRule CommonLine = PasswordRule.Of(PasswordRuleKind.NoCommonPassword);
    private static readonly PasswordRule PersonalLine = PasswordRule.Of(PasswordRuleKind.NoPersonalWords);

    public static TheoryData<string, PasswordRule[]> RefusedForTheirRules => new()
    {
        // Too short, or without an uppercase letter: those are the reasons, not "too common".
        { "Short1", [Length] },
        { "alllowercase12", [Uppercase] },
        // Meets the policy's lines but has the person's name: the username line, once (the policy's and the portal's are one).
        { "Quistgarden7", [PersonalLine] },
        // On the common list whatever else it fails: both reasons.
        { "password", [Uppercase, Number, CommonLine] },
        // Meets every line yet easy to guess: common is the reason.
        { "Password1", [CommonLine] },
    };

    [Theory]
    [MemberData(nameof(RefusedForTheirRules))]
    public async Task ARefusedPasswordNamesEveryChecklistLineItFailsAndOnlyThose(string password, PasswordRule[] failedLines)
    {
        var h = new FlowHarness(o => (o.FollowOktaRecoveryPolicy, o.PasswordComplexity) = (false, OrgPolicy()));
        var user = h.Okta.AddUser(Login, kinds: [FactorKind.OktaVerifyTotp]);
        h.Okta.Users[Login] = user with { FirstName = "Annabel", LastName = "Quist" };
        var credentials = await h.VerifiedAsync(Login);

        var result = await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, password, _ct);

        Assert.Equal(failedLines, Assert.IsType<ChangePasswordResult.Weak>(result).FailedRules);
        Assert.Equal(0, h.Okta.CountOf(nameof(IOktaClient.SetPasswordAsync)));
    }

    [Fact]
    public async Task APasswordThatMeetsEveryLineReachesOkta()
    {
        var h = new FlowHarness(o => (o.FollowOktaRecoveryPolicy, o.PasswordComplexity) = (false, OrgPolicy()));
        h.Okta.AddUser(Login, kinds: [FactorKind.OktaVerifyTotp]);
        var credentials = await h.VerifiedAsync(Login);

        Assert.IsType<ChangePasswordResult.Changed>(await h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, Good, _ct));
    }

    public void Dispose() => _range.Stop();

    private async Task<ChangePasswordResult> ChangeAsync(string password)
    {
        var credentials = await _h.VerifiedAsync(Login);
        return await _h.Flow.ChangePasswordAsync(credentials.FlowSecret, credentials.ResetToken, password, _ct);
    }

    /// <summary>A range answer as the API gives it: upper-case suffixes, CRLF lines, padding entries with count 0.</summary>
    private void ServeRange(string prefix, string line)
    {
        var body = string.Join("\r\n",
            "0018A45C4D1DEF81644B54AB7F969B88D65:1",
            "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2",
            line,
            "011053FD0102E94D6AE2F8B83D76FAF94F6:0",
            "012A7CA357541F0AC487871FEEC1891C49C:0");
        _range.Given(Request.Create().WithPath("/range/" + prefix).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain").WithBody(body));
    }

    private static (string Prefix, string Suffix) Sha1Parts(string password)
    {
#pragma warning disable CA5350 // the range API's own key
        var hash = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350
        return (hash[..5], hash[5..]);
    }
}
