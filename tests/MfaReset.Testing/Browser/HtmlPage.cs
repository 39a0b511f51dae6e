using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MfaReset.Testing.Browser;

/// <summary>
/// A page a test's browser received: its address, status and markup, parsed with AngleSharp on first use
/// (the load driver reads most pages for one form only, and many not at all), and its forms as a browser
/// would submit them.
/// </summary>
public sealed class HtmlPage(Uri url, int status, string html)
{
    /// <summary>The hidden field ASP.NET Core's antiforgery puts in every form it renders.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    private IHtmlDocument? _document;

    public Uri Url { get; } = url;

    public int Status { get; } = status;

    public string Html { get; } = html;

    /// <summary>The parsed document, parsed on first use (most steps only need the form).</summary>
    public IHtmlDocument Document => _document ??= Parse(Html);

    /// <summary>The value of the page's antiforgery field, as its forms post it, or null on a page without a form.</summary>
    public string? AntiforgeryToken => InputValue(AntiforgeryField);

    /// <summary>
    /// Markup read as a browser reads it. A parser of its own per document: the load driver parses from many
    /// sessions at once, and nothing says one <see cref="HtmlParser"/> may be shared between threads.
    /// </summary>
    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The value of the first input named <paramref name="name"/> on the page (e.g. a hidden field every form carries), or null.</summary>
    public string? InputValue(string name) => Document.QuerySelector($"input[name='{name}']")?.GetAttribute("value");

    /// <summary>The page's only form.</summary>
    public HtmlForm Form() => SingleForm(_ => true, "at all");

    /// <summary>The form with a control named <paramref name="field"/> (what the person fills in).</summary>
    public HtmlForm FormWithField(string field) =>
        SingleForm(f => f.Elements.Any(e => e.GetAttribute("name") == field), $"with a field '{field}'");

    /// <summary>The form posting to a Razor handler whose action ends with <paramref name="handlerSegment"/>, e.g. "/Send".</summary>
    public HtmlForm FormPostingTo(string handlerSegment) =>
        SingleForm(
            f => (f.GetAttribute("action") ?? string.Empty).Split('?')[0].EndsWith(handlerSegment, StringComparison.OrdinalIgnoreCase),
            $"posting to '…{handlerSegment}'");

    /// <summary>The trimmed text of the first element matching <paramref name="selector"/>, or null.</summary>
    public string? Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim();

    /// <summary>The first element matching <paramref name="selector"/>, or null.</summary>
    public IElement? Find(string selector) => Document.QuerySelector(selector);

    /// <summary>"GET /Reset/VerifyCode (200)": for failure messages; never the markup (it holds tokens).</summary>
    public string Describe() => $"{Url.AbsolutePath} ({Status})";

    private HtmlForm SingleForm(Func<IHtmlFormElement, bool> match, string what)
    {
        var forms = Document.Forms.Where(match).ToList();
        return forms.Count switch
        {
            1 => new HtmlForm(forms[0], Url),
            0 => throw new InvalidOperationException($"{Describe()} has no form {what}."),
            _ => throw new InvalidOperationException($"{Describe()} has {forms.Count} forms {what}."),
        };
    }
}
