namespace MfaReset.Web;

/// <summary>
/// Names the portal's one resource set (<c>Resources/SharedResource.{es,fr,de}.resx</c>). Keys are the English
/// texts, so English needs no resource file and a key is what an English page shows.
/// </summary>
public sealed class SharedResource;
