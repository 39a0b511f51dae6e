using System.Security.Cryptography;
using System.Text;
using MfaReset.Okta.Sandbox.Control;

namespace MfaReset.Okta.Sandbox.Org;

/// <summary>
/// Okta's factor verification rules: SMS and voice codes with a resend cooldown, RFC 6238 TOTP with
/// replay protection, security-question answers, pushes, and the lockout after five failures in a row.
/// </summary>
internal sealed class FactorVerifier(SandboxOrg org, ILogger<FactorVerifier> logger)
{
    /// <summary>Okta locks a user after this many consecutive failed verifications (hard-coded at Okta).</summary>
    public const int FailuresBeforeLockout = 5;

    private const int KeptMessages = 20;
    private const int KeptPushes = 20;

    // Finished pushes stay pollable this long after their expiry, then are forgotten.
    private static readonly TimeSpan PushRetention = TimeSpan.FromMinutes(10);

    /// <summary>One <c>POST .../verify</c>.</summary>
    /// <param name="user">The user in the path.</param>
    /// <param name="factor">One of the user's factors.</param>
    /// <param name="passCode">The <c>passCode</c> field, if sent.</param>
    /// <param name="answer">The <c>answer</c> field, if sent.</param>
    /// <param name="useNumberMatching">The <c>useNumberMatchingChallenge</c> field.</param>
    /// <param name="userAgent">The <c>User-Agent</c> header.</param>
    /// <param name="clientIp">The <c>X-Forwarded-For</c> header.</param>
    /// <param name="tokenLifetime">An email challenge's <c>tokenLifetimeSeconds</c>, if given (Okta's default is 300 s).</param>
    /// <param name="acceptLanguage">The <c>Accept-Language</c> header: the language of an SMS, call or email.</param>
    public VerifyOutcome Verify(OrgUser user, SeedFactor factor, string? passCode, string? answer, bool useNumberMatching, string? userAgent, string? clientIp, TimeSpan? tokenLifetime = null, string? acceptLanguage = null)
    {
        if (factor.Kind == SandboxFactorKind.OktaVerifyPush && string.IsNullOrWhiteSpace(userAgent))
        {
            return new VerifyOutcome.MissingInput("User-Agent", "The User-Agent header is required to verify a push factor.");
        }

        if (factor.IsTotp && string.IsNullOrEmpty(passCode))
        {
            return new VerifyOutcome.MissingInput("passCode", "passCode is required to verify a token:software:totp factor.");
        }

        if (factor.Kind == SandboxFactorKind.SecurityQuestion && string.IsNullOrEmpty(answer))
        {
            return new VerifyOutcome.MissingInput("answer", "answer is required to verify a question factor.");
        }

        var now = org.Clock.GetUtcNow();
        lock (user.Gate)
        {
            // Okta verifies factors of users who can still prove who they are: locked out, password expired,
            // or in recovery (an admin or Okta started a reset); never of suspended or not yet active ones.
            if (user.Status is not ("ACTIVE" or "LOCKED_OUT" or "PASSWORD_EXPIRED" or "RECOVERY"))
            {
                return new VerifyOutcome.NotAllowedInStatus();
            }

            if (user.FactorsLocked)
            {
                return new VerifyOutcome.UserLocked();
            }

            return factor.Kind switch
            {
                SandboxFactorKind.Sms or SandboxFactorKind.Call or SandboxFactorKind.Email when string.IsNullOrEmpty(passCode) => Challenge(user, factor, now, tokenLifetime, PhoneTexts.LanguageOf(acceptLanguage)),
                SandboxFactorKind.Sms or SandboxFactorKind.Call or SandboxFactorKind.Email => CheckPhoneCode(user, factor, passCode!, now),
                SandboxFactorKind.OktaVerifyTotp or SandboxFactorKind.GoogleAuthenticator => CheckTotp(user, factor, passCode!, now),
                SandboxFactorKind.SecurityQuestion => CheckAnswer(user, factor, answer!),
                SandboxFactorKind.OktaVerifyPush => SendPush(user, factor, useNumberMatching, userAgent!, clientIp, now),
                _ => throw new InvalidOperationException($"Unknown factor kind {factor.Kind}."),
            };
        }
    }

    /// <summary>A push transaction's state for a poll, with expiry applied.</summary>
    public PushState Poll(PushTransaction transaction)
    {
        lock (transaction.User.Gate)
        {
            return transaction.StateAt(org.Clock.GetUtcNow());
        }
    }

    /// <summary>
    /// <c>DELETE</c> on the transaction (its <c>_links.cancel</c>): a waiting push is cancelled; one already
    /// answered or expired is left as it is. Okta documents no answer; the sandbox answers 204 either way.
    /// </summary>
    public void Cancel(PushTransaction transaction)
    {
        lock (transaction.User.Gate)
        {
            if (transaction.StateAt(org.Clock.GetUtcNow()) == PushState.Waiting)
            {
                transaction.State = PushState.Cancelled;
            }
        }
    }

    /// <summary>The phone's answer to a push.</summary>
    public PushAnswerOutcome Answer(string transactionId, bool approve, int? pickedNumber)
    {
        if (!org.Transactions.TryGetValue(transactionId, out var transaction))
        {
            return PushAnswerOutcome.NotPending;
        }

        var user = transaction.User;
        lock (user.Gate)
        {
            if (transaction.StateAt(org.Clock.GetUtcNow()) != PushState.Waiting)
            {
                return PushAnswerOutcome.NotPending;
            }

            if (!approve)
            {
                transaction.State = PushState.Rejected;
                return PushAnswerOutcome.Denied;
            }

            if (transaction.CorrectAnswer is { } correct && pickedNumber != correct)
            {
                // Okta Verify treats a wrong number as a rejection of the sign-in attempt.
                transaction.State = PushState.Rejected;
                transaction.WrongNumberPicked = true;
                return PushAnswerOutcome.WrongNumber;
            }

            transaction.State = PushState.Approved;
            user.ConsecutiveFailures = 0;
            return PushAnswerOutcome.Approved;
        }
    }

    private VerifyOutcome Challenge(OrgUser user, SeedFactor factor, DateTimeOffset now, TimeSpan? tokenLifetime, string language)
    {
        // Okta's cooldown is per phone number (or email address) and per channel: an SMS does not hold
        // back a call. Email's is Okta's documented 5 seconds.
        var isEmail = factor.Kind == SandboxFactorKind.Email;
        var throttleKey = $"{factor.Kind}:{(isEmail ? factor.Email : factor.PhoneNumber)}";
        var cooldown = isEmail ? org.Options.EmailResendCooldown : org.Options.ResendCooldown;
        if (user.LastChallenges.TryGetValue(throttleKey, out var last) && now < last + cooldown)
        {
            return new VerifyOutcome.TooSoon(factor.Kind);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var message = factor.Kind switch
        {
            SandboxFactorKind.Sms => new PhoneMessage(factor.Id, PhoneChannel.Sms, factor.PhoneNumber!, code,
                PhoneTexts.Sms(language, code), now, now + org.Options.CodeLifetime),
            SandboxFactorKind.Email => new PhoneMessage(factor.Id, PhoneChannel.Email, factor.Email!, code,
                PhoneTexts.Email(language, code, (int)Math.Ceiling((tokenLifetime ?? org.Options.CodeLifetime).TotalMinutes)),
                now, now + (tokenLifetime ?? org.Options.CodeLifetime)),
            _ => new PhoneMessage(factor.Id, PhoneChannel.Voice, factor.PhoneNumber!, code,
                PhoneTexts.Voice(language, code), now, now + org.Options.CodeLifetime),
        };

        Log.CodeSent(logger, message.Channel, message.PhoneNumber, user.Seed.Login);
        user.LastChallenges[throttleKey] = now;
        user.OpenCodes[factor.Id] = message;
        user.Messages.Insert(0, message);
        if (user.Messages.Count > KeptMessages)
        {
            user.Messages.RemoveAt(user.Messages.Count - 1);
        }

        return new VerifyOutcome.Challenged();
    }

    private VerifyOutcome CheckPhoneCode(OrgUser user, SeedFactor factor, string passCode, DateTimeOffset now)
    {
        if (user.OpenCodes.TryGetValue(factor.Id, out var open) && now < open.ExpiresAt && SameText(open.Code, passCode))
        {
            // A code works once.
            user.OpenCodes.Remove(factor.Id);
            return Succeed(user);
        }

        return Fail(user, new VerifyOutcome.Invalid(WasAnswer: false));
    }

    private VerifyOutcome CheckTotp(OrgUser user, SeedFactor factor, string passCode, DateTimeOffset now)
    {
        if (Totp.MatchingStep(factor.TotpSecret!, passCode, now) is not { } step)
        {
            return Fail(user, new VerifyOutcome.Invalid(WasAnswer: false));
        }

        if (user.LastTotpSteps.TryGetValue(factor.Id, out var lastStep) && step <= lastStep)
        {
            return Fail(user, new VerifyOutcome.Replayed());
        }

        user.LastTotpSteps[factor.Id] = step;
        return Succeed(user);
    }

    private VerifyOutcome CheckAnswer(OrgUser user, SeedFactor factor, string answer) =>
        SameText(factor.Question!.Answer.Trim().ToUpperInvariant(), answer.Trim().ToUpperInvariant())
            ? Succeed(user)
            : Fail(user, new VerifyOutcome.Invalid(WasAnswer: true));

    private VerifyOutcome.PushSent SendPush(OrgUser user, SeedFactor factor, bool useNumberMatching, string userAgent, string? clientIp, DateTimeOffset now)
    {
        int? correct = useNumberMatching ? RandomNumberGenerator.GetInt32(10, 100) : null;
        var transaction = new PushTransaction(
            "v2mst." + RandomId(22), user, factor, now, now + org.Options.PushLifetime,
            correct, correct is { } answer ? NumberChoices(answer) : [], userAgent, clientIp);

        var script = user.NextPush;
        user.NextPush = ScriptedPushOutcome.None;
        transaction.State = script switch
        {
            ScriptedPushOutcome.Approve => PushState.Approved,
            ScriptedPushOutcome.Deny => PushState.Rejected,
            ScriptedPushOutcome.TimeOut => PushState.TimedOut,
            _ => PushState.Waiting,
        };
        if (transaction.State == PushState.Approved)
        {
            user.ConsecutiveFailures = 0;
        }

        Remember(user, transaction, now);
        Log.PushSent(logger, user.Seed.Login, useNumberMatching);
        return new VerifyOutcome.PushSent(transaction);
    }

    // Keeps per-user and global push memory bounded however many pushes a load test sends.
    private void Remember(OrgUser user, PushTransaction transaction, DateTimeOffset now)
    {
        user.Pushes.RemoveAll(old =>
        {
            var forget = old.StateAt(now) != PushState.Waiting && now > old.ExpiresAt + PushRetention;
            if (forget)
            {
                org.Transactions.TryRemove(old.Id, out _);
            }

            return forget;
        });
        if (user.Pushes.Count >= KeptPushes)
        {
            org.Transactions.TryRemove(user.Pushes[0].Id, out _);
            user.Pushes.RemoveAt(0);
        }

        user.Pushes.Add(transaction);
        org.Transactions[transaction.Id] = transaction;
    }

    private int[] NumberChoices(int correct)
    {
        var choices = new HashSet<int> { correct };
        while (choices.Count < org.Options.NumberMatchingChoices)
        {
            choices.Add(RandomNumberGenerator.GetInt32(10, 100));
        }

        var shuffled = choices.ToArray();
        RandomNumberGenerator.Shuffle(shuffled.AsSpan());
        return shuffled;
    }

    private static VerifyOutcome.Succeeded Succeed(OrgUser user)
    {
        user.ConsecutiveFailures = 0;
        return new VerifyOutcome.Succeeded();
    }

    private VerifyOutcome Fail(OrgUser user, VerifyOutcome outcome)
    {
        user.ConsecutiveFailures++;
        if (user.ConsecutiveFailures >= FailuresBeforeLockout && !user.FactorsLocked)
        {
            user.Status = "LOCKED_OUT";
            user.StatusChanged = org.Clock.GetUtcNow();
            user.Changed(user.StatusChanged);
            user.FactorsLocked = true;
            Log.LockedOut(logger, user.Seed.Login, user.ConsecutiveFailures);
        }

        return outcome;
    }

    private static bool SameText(string expected, string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(candidate));

    /// <summary>Random [0-9A-Za-z] characters, as Okta ids use.</summary>
    public static string RandomId(int length) =>
        RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", length);
}
