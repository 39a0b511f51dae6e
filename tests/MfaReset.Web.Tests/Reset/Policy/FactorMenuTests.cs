using MfaReset.Okta;
using MfaReset.Web.Options;
using MfaReset.Web.Reset.Policy;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Reset.Policy;

public sealed class FactorMenuTests
{
    private static FactorMenu Enrolled(string key = "decoy-key-0123456789-0123456789-0123456789") =>
        new(Microsoft.Extensions.Options.Options.Create(new ResetOptions { FactorMenu = FactorMenuMode.Enrolled, DecoyKey = key }));

    [Fact]
    public void GenericMenuResolvesEachKindToTheFirstActiveFactorInOktasOrder()
    {
        var menu = new FactorMenu(Microsoft.Extensions.Options.Options.Create(new ResetOptions()));
        OktaFactor[] factors =
        [
            FakeOktaClient.Factor(FactorKind.Sms, "sms-inactive", OktaFactorStatus.Inactive),
            FakeOktaClient.Factor(FactorKind.Sms, "sms-first"),
            FakeOktaClient.Factor(FactorKind.Sms, "sms-second"),
            FakeOktaClient.Factor(FactorKind.Unsupported, "question"),
        ];

        var built = menu.Build("ann", factors);

        Assert.Equal("sms-first", built.Single(f => f.Kind == FactorKind.Sms).OktaFactorId);
        Assert.All(built.Where(f => f.Kind != FactorKind.Sms), f => Assert.Null(f.OktaFactorId));
    }

    [Fact]
    public void EnrolledMenuListsTheUsersFactorsWithMaskedPhones()
    {
        var built = Enrolled().Build("ann", [FakeOktaClient.Factor(FactorKind.Sms, "sms1"), FakeOktaClient.Factor(FactorKind.OktaVerifyPush, "opf1")]);

        Assert.Equal(["Okta Verify push notification", "Text message (SMS) to ••• ••• 0101"], built.Select(f => f.Label));
        Assert.Equal(["f1", "f2"], built.Select(f => f.ChoiceKey));
        Assert.DoesNotContain(built, f => f.Label.Contains("2025550101", StringComparison.Ordinal));
    }

    [Fact]
    public void EnrolledMenuGivesUnknownUsersAStableDecoyList()
    {
        var menu = Enrolled();

        var first = menu.Build("nobody@example.com", []);
        var again = menu.Build(" NOBODY@example.com ", []);
        var shapes = Enumerable.Range(0, 20)
            .Select(i => string.Join('|', menu.Build($"nobody{i}@example.com", []).Select(f => f.Label)))
            .Distinct()
            .Count();

        Assert.NotEmpty(first);
        Assert.Equal(first, again);
        Assert.All(first, f => Assert.Null(f.OktaFactorId));
        Assert.True(shapes > 1, "different usernames should get different decoy lists");
    }

    [Theory]
    [InlineData("+12025550101", "••• ••• 0101")]
    [InlineData("+44 20 7946 0958", "••• ••• 0958")]
    [InlineData(null, "••• ••• ••••")]
    public void PhoneNumbersShowOnlyTheirLastFourDigits(string? phone, string expected) =>
        Assert.Equal(expected, FactorMenu.MaskPhone(phone));
}
