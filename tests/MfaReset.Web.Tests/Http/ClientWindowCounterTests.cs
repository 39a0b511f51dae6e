using MfaReset.Web.Http;


namespace MfaReset.Web.Tests.Http;

/// <summary>The in-process per-client counts behind the push poll's limit: exact alone, never under, per window.</summary>
public sealed class ClientWindowCounterTests
{
    private const uint Window = 29_000_000;

    [Fact]
    public void OneClientIsCountedExactly()
    {
        var counter = new ClientWindowCounter();

        var counts = Enumerable.Range(0, 1000).Select(_ => counter.Increment("203.0.113.7", Window)).ToList();

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), counts);
    }

    [Fact]
    public void ANewWindowStartsTheCountAgain()
    {
        var counter = new ClientWindowCounter();
        for (var i = 0; i < 50; i++)
        {
            counter.Increment("203.0.113.7", Window);
        }

        Assert.Equal(1, counter.Increment("203.0.113.7", Window + 1));
        Assert.Equal(2, counter.Increment("203.0.113.7", Window + 1));
    }

    [Fact]
    public void ALateRequestFromTheEndingWindowDoesNotWipeTheNextWindowsCount()
    {
        var counter = new ClientWindowCounter();
        counter.Increment("203.0.113.7", Window + 1);
        counter.Increment("203.0.113.7", Window + 1);

        // A request that read the clock just before the minute turned, counted after one that read it after.
        counter.Increment("203.0.113.7", Window);

        Assert.Equal(4, counter.Increment("203.0.113.7", Window + 1));
    }

    [Fact]
    public void ConcurrentIncrementsAreNeverLost()
    {
        var counter = new ClientWindowCounter();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                counter.Increment("203.0.113.7", Window);
            }
        });

        Assert.Equal(160_001, counter.Increment("203.0.113.7", Window));
    }

    [Fact]
    public void WithAHundredThousandClientsNoneIsCountedBelowWhatItSent()
    {
        var counter = new ClientWindowCounter();
        var clients = Enumerable.Range(0, 100_000).Select(i => $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}").ToList();
        Parallel.ForEach(clients, client =>
        {
            counter.Increment(client, Window);
            counter.Increment(client, Window);
        });

        var counts = clients.Select(client => counter.Increment(client, Window) - 1).ToList();

        // Each sent 2 before its read; sharing a slot in every row can only add others' requests.
        Assert.All(counts, count => Assert.True(count >= 2, $"counted {count}"));
        // Over-counting needs a shared slot in all three rows: with 2^17 slots a row, a small share of clients.
        Assert.True(counts.Count(count => count > 2) < clients.Count / 4, $"{counts.Count(count => count > 2)} over-counted");
    }

    [Fact]
    public void EachProcessHashesClientsWithItsOwnKey()
    {
        // Two counters (two processes) place clients differently: with a fixed hash, two addresses that collide
        // in every row would collide everywhere. Among 100,000 clients some collide in one counter's every row...
        var first = new ClientWindowCounter();
        var second = new ClientWindowCounter();
        var clients = Enumerable.Range(0, 100_000).Select(i => $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}").ToList();
        foreach (var client in clients)
        {
            first.Increment(client, Window);
            second.Increment(client, Window);
        }

        var overInFirst = clients.Where(client => first.Increment(client, Window) > 2).ToHashSet();
        var overInSecond = clients.Where(client => second.Increment(client, Window) > 2).ToHashSet();

        // ...but not the same ones in the other.
        Assert.NotEmpty(overInFirst);
        Assert.NotEqual(overInFirst, overInSecond);
    }
}
