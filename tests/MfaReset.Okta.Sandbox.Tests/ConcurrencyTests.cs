using System.Net;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ManyConcurrentFlowsAllCompleteAndEveryCallIsCounted()
    {
        const int users = 150;
        await using var sandbox = await TestSandbox.StartAsync(o => o.LoadTestUsers = users);
        var logins = sandbox.Control.ListUsers().Where(u => !u.IsDemoUser).Select(u => u.Login).ToList();

        var outcomes = await Task.WhenAll(logins.Select(login => Task.Run(async () =>
        {
            var code = await sandbox.ChallengeAsync(login, SandboxFactorKind.Sms);
            using var smsVerify = await sandbox.SendPasscodeAsync(login, SandboxFactorKind.Sms, code);
            var poll = await sandbox.SendPushAsync(login, numberMatching: true);
            var push = sandbox.Control.GetPendingPushes(login).Single();
            var answer = sandbox.Control.ApprovePush(push.TransactionId, push.CorrectAnswer);
            return (smsVerify.StatusCode, answer, pushResult: await sandbox.PollAsync(poll));
        })));

        Assert.All(outcomes, o =>
        {
            Assert.Equal(HttpStatusCode.OK, o.StatusCode);
            Assert.Equal(PushAnswerOutcome.Approved, o.answer);
            Assert.Equal("SUCCESS", o.pushResult);
        });
        var counts = sandbox.Control.GetCallCounts();
        Assert.Equal(users * 4, counts.Total);
        Assert.Equal(users * 3, counts.ByOperation[OktaOperations.VerifyFactor]);
        Assert.All(logins, login => Assert.Equal(4, counts.ByUser[login].Values.Sum()));
    }
}
