namespace MfaReset.Okta.Tests;

/// <summary>
/// Okta's push transaction link has one shape, owned by the client: a caller may keep a handle as its
/// transaction id and rebuild it, and gets the id only when the rebuilt link is exactly the link Okta gave.
/// </summary>
public sealed class PushPollHandleShapeTests
{
    private static readonly Uri Org = new("https://example.okta.com");

    [Fact]
    public void TheDocumentedLinkIsKeptAsItsTransactionIdAndRebuiltExactly()
    {
        // verifyFactor/push-challenge: _links.poll.href
        const string href = "https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst.GldKV5VxTrifyeZmWSQguA";

        var transactionId = PushPollHandle.Deserialize(href).TransactionIdUnder(Org, "00u1", "opf1");

        Assert.Equal("v2mst.GldKV5VxTrifyeZmWSQguA", transactionId);
        Assert.Equal(href, PushPollHandle.ForTransaction(Org, "00u1", "opf1", transactionId!).Serialize());
        Assert.Equal(href, PushPollHandle.ForTransaction(new Uri("https://example.okta.com/"), "00u1", "opf1", transactionId!).Serialize());
    }

    [Theory]
    [InlineData("https://example-admin.okta.com/api/v1/users/00u1/factors/opf1/transactions/v2mst1")] // another host of the org
    [InlineData("https://example.okta.com/api/v1/users/00u2/factors/opf1/transactions/v2mst1")] // another user
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf2/transactions/v2mst1")] // another factor than the one pushed
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/")] // no transaction id
    [InlineData("https://example.okta.com/api/v1/users/00u1/factors/opf1/transactions/a/transactions/b")] // not one segment
    [InlineData("https://example.okta.com/api/v1/push/v2mst1")] // another shape altogether
    public void AnyOtherLinkHasNoTransactionIdToKeep(string href) =>
        Assert.Null(PushPollHandle.Deserialize(href).TransactionIdUnder(Org, "00u1", "opf1"));

    [Fact]
    public void WithoutAUserOrFactorThereIsNoTransactionIdToKeep() =>
        Assert.Null(PushPollHandle.Deserialize("https://example.okta.com/api/v1/users//factors//transactions/v2mst1").TransactionIdUnder(Org, string.Empty, string.Empty));
}
