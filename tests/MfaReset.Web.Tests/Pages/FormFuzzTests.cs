using System.Net;
using System.Text;
using CsCheck;
using MfaReset.Testing;
using MfaReset.Web.Reset;
using MfaReset.Web.Tests.Support;

namespace MfaReset.Web.Tests.Pages;

/// <summary>
/// Generated requests to every form, to the poll endpoint and to the language switch: any Unicode, control characters, very long
/// strings, invalid UTF-8, duplicated, missing and array-shaped fields, with and without a valid
/// antiforgery token and cookies. Whatever arrives: no 5xx, no Okta call unless the input was valid, and
/// no log line carrying an unencoded control character; a redirect's <c>Location</c> is one Kestrel can send
/// (printable ASCII only: the test host would pass anything, Kestrel answers an empty 500). CI tries <see cref="CiIterations"/> requests; a
/// longer run and replaying a seed: see <see cref="FuzzRuns"/>.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class FormFuzzTests(PortalApp app) : PortalTests<PortalApp>(app)
{
    private const long CiIterations = 150;

    private enum Target { Username, Choice, Code, SendCode, SendPush, CheckPush, Poll, Password, Language }

    private enum Shape { Normal, Duplicated, Missing, ArrayName }

    private enum Token { Valid, Missing, Garbage }

    private enum Cookies { Kept, Dropped, GarbageFlow }

    /// <summary>A value as the bytes sent (before percent-encoding), and what the server decodes it to.</summary>
    private sealed record Value(byte[] Bytes)
    {
        public string Decoded => Encoding.UTF8.GetString(Bytes);

        public override string ToString() => Convert.ToHexString(Bytes.Length > 64 ? Bytes[..64] : Bytes) + (Bytes.Length > 64 ? $"…({Bytes.Length} bytes)" : "");
    }

    private static readonly Gen<Value> Values = Gen.Frequency<Value>(
        (4, Gen.String[0, 40].Select(Utf8)),
        (2, Gen.Char[(char)0, (char)0x40].Array[0, 20].Select(c => Utf8(new string(c)))),
        (1, Gen.Char.Array[257, 3000].Select(c => Utf8(new string(c)))),
        (2, Gen.Byte.Array[0, 24].Select(b => new Value(b))),
        (2, Gen.OneOf("123456", "12 34 56", "okta-code", "push", "sms", "tom.totp@example.com", "Correct-Horse-42", "", " ",
            "a\r\nb", "<script>alert(1)</script>", "\u202Eevil", "\uD800", "%00", "..%2F..", "Input.Code",
            ".", "..", " .. ", "/.", "/été", "/日本?q=ü", "/\u00a0", "/a b", "//evil.example", "/\\evil").Select(Utf8)));

    private static Value Utf8(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task NoGeneratedRequestGetsA5xxAnOktaCallItShouldNotOrAnUnencodedLogLine()
    {
        var tried = 0;
        var gen = Gen.Select(Gen.Enum<Target>(), Values, Gen.Enum<Shape>(), Gen.Enum<Token>(), Gen.Enum<Cookies>());
        await gen.SampleAsync(
            async (target, value, shape, token, cookies) =>
            {
                Interlocked.Increment(ref tried);
                await OneRequestAsync(target, value, shape, token, cookies);
            },
            seed: FuzzRuns.Seed,
            iter: FuzzRuns.Iterations(CiIterations),
            threads: 1);

        Console.WriteLine($"Form fuzz: {tried} requests tried (shrinking included).");
    }

    private async Task OneRequestAsync(Target target, Value value, Shape shape, Token token, Cookies cookies)
    {
        // Minutes apart: per-client and per-person windows do not turn every request into a 429.
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        using var browser = App.NewBrowser();
        await PreludeAsync(browser, target);
        var antiforgery = browser.Page?.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value");
        using var sender = cookies == Cookies.Dropped ? App.NewBrowser() : null;
        if (cookies == Cookies.GarbageFlow)
        {
            browser.Cookies.Add(PortalBrowser.BaseAddress, new Cookie("__Host-MfaReset-Flow", Uri.EscapeDataString(value.Decoded.Length > 200 ? value.Decoded[..200] : value.Decoded)) { Secure = true, Path = "/" });
        }

        var client = (sender ?? browser).Client;
        if (target == Target.Language)
        {
            await LanguageSwitchAsync(client, value, shape);
            return;
        }

        var (path, fields) = FormOf(target);
        var body = new List<string>();
        foreach (var field in fields)
        {
            switch (shape)
            {
                case Shape.Normal:
                    body.Add(Pair(field, value.Bytes));
                    break;
                case Shape.Duplicated:
                    body.Add(Pair(field, value.Bytes));
                    body.Add(Pair(field, Encoding.UTF8.GetBytes("second")));
                    break;
                case Shape.ArrayName:
                    body.Add(Pair(field + "[0]", value.Bytes));
                    body.Add(Pair(field + "[]", value.Bytes));
                    break;
            }
        }

        if (target != Target.Poll && token != Token.Missing)
        {
            body.Add(Pair("__RequestVerificationToken", Encoding.UTF8.GetBytes(token == Token.Valid ? antiforgery ?? "" : "CfDJ8garbage")));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(string.Join('&', body), Encoding.ASCII, "application/x-www-form-urlencoded"),
        };
        if (target == Target.Poll && token != Token.Missing)
        {
            request.Headers.TryAddWithoutValidation("RequestVerificationToken", token == Token.Valid ? antiforgery ?? "" : value.Decoded.ReplaceLineEndings(""));
        }

        var logsBefore = App.Logs.Count;
        var callsBefore = App.RequestOktaCalls;
        using var response = await client.SendAsync(request);
        var calls = App.RequestOktaCalls - callsBefore;

        var input = $"{target} {shape} token {token} cookies {cookies} value {value}";
        Assert.True((int)response.StatusCode < 500, $"{input}: answered {(int)response.StatusCode}");
        var refused = App.Logs.Since(logsBefore).Any(r => RefusalEvents.Contains(r.Id.Id));
        // Invalid UTF-8 is decoded by the framework in its own way (undecodable bytes stay percent-encoded),
        // so for such values the portal's own refusal event is what says the input was invalid.
        if (refused || (IsUtf8(value.Bytes) && !MayCallOkta(target, value, shape, token, cookies)))
        {
            Assert.True(calls == 0, $"{input}: {calls} Okta call(s) for an input that was not valid");
        }

        foreach (var text in App.Logs.Since(logsBefore).Where(r => r.Category?.StartsWith("MfaReset.", StringComparison.Ordinal) == true).SelectMany(r => r.Texts()))
        {
            Assert.False(text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'), $"unencoded control character in a logged value: {text.ReplaceLineEndings("⏎")}");
        }
    }

    /// <summary>
    /// <c>GET /language/{culture}?returnUrl=</c> with the value as the return path (or, for a missing shape,
    /// as the culture): a 303 to a path on this site whose <c>Location</c> is printable ASCII, or, for a
    /// culture not offered, no redirect. Never a 5xx, never an Okta call.
    /// </summary>
    private async Task LanguageSwitchAsync(HttpClient client, Value value, Shape shape)
    {
        var escaped = string.Concat(value.Bytes.Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        var path = shape switch
        {
            Shape.Missing => "/language/" + escaped,
            Shape.Duplicated => $"/language/de?returnUrl={escaped}&returnUrl=%2Fhelp",
            Shape.ArrayName => $"/language/es?returnUrl[0]={escaped}",
            _ => "/language/fr?returnUrl=" + escaped,
        };
        var callsBefore = App.RequestOktaCalls;
        if (shape == Shape.Missing && value.Bytes.Contains((byte)0))
        {
            // A NUL decoded into the path: the test host throws before the app, and Kestrel refuses such a request
            // line (400) before any app code runs, so there is no answer of the portal's to check here.
            return;
        }

        using var response = await client.GetAsync(path);

        var input = $"GET {path}";
        Assert.True((int)response.StatusCode < 500, $"{input}: answered {(int)response.StatusCode}");
        Assert.Equal(callsBefore, App.RequestOktaCalls);
        if (shape == Shape.Missing && response.StatusCode != HttpStatusCode.SeeOther)
        {
            return; // not a culture on offer (404), or a path that is no language link at all ("/language/.." is "/")
        }

        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{input}: answered {(int)response.StatusCode}");

        var location = Assert.Single(response.Headers.GetValues("Location"));
        Assert.True(location.All(c => c is > ' ' and < '\u007f'), $"{input}: Location {location} is not printable ASCII");
        Assert.True(location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal), $"{input}: Location {location} leaves the site");
    }

    /// <summary>Gets the browser to the page whose form is fuzzed; outcomes are not asserted (limits may refuse).</summary>
    private async Task PreludeAsync(PortalBrowser browser, Target target)
    {
        var (login, choice) = target switch
        {
            Target.Username or Target.Language => (null, null),
            Target.Choice => ("tom.totp@example.com", null),
            Target.Code => ("max.multi@example.com", "okta-code"),
            Target.SendCode => ("sam.sms@example.com", "sms"),
            Target.Password => ("gail.google@example.com", "google-code"),
            _ => ("pat.push@example.com", "push"),
        };
        await browser.GetAsync("/");
        if (login is null)
        {
            return;
        }

        await browser.PostAsync("/", ("Input.Username", login));
        await browser.GetAsync("/reset/method");
        if (choice is null || browser.Page.QuerySelector("input[name='__RequestVerificationToken']") is null)
        {
            return;
        }

        await browser.PostAsync("/reset/method", ("Input.Choice", choice));
        await browser.GetAsync(choice == "push" ? "/reset/push" : "/reset/code");
        if (target == Target.Poll || target == Target.CheckPush)
        {
            if (browser.Page.QuerySelector("input[name='__RequestVerificationToken']") is not null)
            {
                await browser.PostAsync("/reset/push/send");
                await browser.GetAsync("/reset/push");
            }
        }
        else if (target == Target.Password && browser.Page.QuerySelector("input[name='__RequestVerificationToken']") is not null)
        {
            await browser.PostAsync("/reset/code", ("Input.Code", App.Okta.GetTotpCodes("gail.google@example.com").Single().Code));
            await browser.GetAsync("/reset/password");
        }
    }

    private static (string Path, string[] Fields) FormOf(Target target) => target switch
    {
        Target.Username => ("/", ["Input.Username"]),
        Target.Choice => ("/reset/method", ["Input.Choice"]),
        Target.Code => ("/reset/code", ["Input.Code"]),
        Target.SendCode => ("/reset/code/send", ["Extra"]),
        Target.SendPush => ("/reset/push/send", ["Extra"]),
        Target.CheckPush => ("/reset/push/check", ["Extra"]),
        Target.Poll => ("/reset/push/status", ["Extra"]),
        _ => ("/reset/password", ["Input.NewPassword", "Input.ConfirmPassword"]),
    };

    /// <summary>Whether the request, as sent, was valid enough that the portal may ask Okta.</summary>
    private static bool MayCallOkta(Target target, Value value, Shape shape, Token token, Cookies cookies)
    {
        if (token != Token.Valid || cookies == Cookies.Dropped)
        {
            return false;
        }

        var text = value.Decoded;
        var fieldValid = target switch
        {
            Target.Username => !string.IsNullOrWhiteSpace(text) && text.Length <= 256 && !text.Any(char.IsControl),
            Target.Choice => false, // choosing a method never calls Okta
            Target.Code => ResetFlow.NormalizeCode(text) is not null,
            Target.Password => text.Length is > 0 and <= 256 && !string.IsNullOrWhiteSpace(text),
            _ => true, // the send and poll endpoints take no field
        };
        // "Name[]" is bound like "Name" (ASP.NET Core's jQuery-style form values), so only a missing field is invalid by shape.
        var shapeValid = target is Target.SendCode or Target.SendPush or Target.CheckPush or Target.Poll || shape != Shape.Missing;
        return cookies != Cookies.GarbageFlow || target == Target.Username ? fieldValid && shapeValid : false;
    }

    /// <summary>The security events of a refused request (input, unreadable form, antiforgery, cross-site, method, code, choice).</summary>
    private static readonly int[] RefusalEvents = [1205, 1206, 1200, 1201, 1207, 1013, 1012];

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Pair(string name, byte[] value) =>
        Uri.EscapeDataString(name) + "=" + string.Concat(value.Select(b => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
