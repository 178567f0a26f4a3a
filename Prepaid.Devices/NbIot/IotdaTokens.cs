using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Prepaid.Devices.NbIot;

/// <summary>
/// Huawei Cloud IAM user tokens for IoTDA, obtained as IAM's "Obtaining a User Token Through Password Authentication"
/// (KeystoneCreateUserTokenByPassword, support.huaweicloud.com/api-iam/iam_30_0001.html) says: <c>POST /v3/auth/tokens</c>
/// with the IAM user, its password, its account (domain) and the project scope; the token comes back in the
/// <c>X-Subject-Token</c> header of the 201 answer, its expiry in <c>token.expires_at</c> (24 hours). Tokens are cached per
/// account and renewed before they expire, since "using a token that will soon expire may cause API calling failures".
/// </summary>
public sealed class IotdaTokens(TimeProvider time)
{
    /// <summary>The validity IAM documents, used when an answer carries no <c>expires_at</c>.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A token this close to its expiry is renewed before use.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    /// <summary>The global IAM endpoint, for settings that name none.</summary>
    public const string DefaultIamUrl = "https://iam.myhuaweicloud.com";

    sealed record Cached(string Token, DateTimeOffset ExpiresAt);

    readonly ConcurrentDictionary<string, Cached> tokens = new();
    readonly SemaphoreSlim obtaining = new(1, 1);

    /// <summary>A token valid for a while yet, obtaining a new one when there is none, it is near expiry, or it is the one
    /// the platform just refused (<paramref name="refused"/>). Throws <see cref="HttpRequestException"/> when IAM refuses
    /// or the settings lack the credentials.</summary>
    public async Task<string> GetAsync(HttpClient http, NbIotSettings s, string? refused, CancellationToken ct)
    {
        if (s.IamUser is null || s.IamPassword is null || s.IamDomain is null)
            throw new HttpRequestException("IoTDA needs iamUser, iamPassword and iamDomain in the gateway's settings to obtain a token.");
        var key = string.Join('|', s.IamUrl ?? DefaultIamUrl, s.IamDomain, s.IamUser, s.IamProject ?? s.ProjectId);
        if (Usable(key, refused) is { } token) return token;
        await obtaining.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Another caller may have renewed it while this one waited.
            if (Usable(key, refused) is { } renewed) return renewed;
            var fresh = await ObtainAsync(http, s, ct).ConfigureAwait(false);
            tokens[key] = fresh;
            return fresh.Token;
        }
        finally
        {
            obtaining.Release();
        }
    }

    string? Usable(string key, string? refused) =>
        tokens.TryGetValue(key, out var cached) && cached.Token != refused && cached.ExpiresAt - Margin > time.GetUtcNow() ? cached.Token : null;

    async Task<Cached> ObtainAsync(HttpClient http, NbIotSettings s, CancellationToken ct)
    {
        var body = new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = s.IamUser, password = s.IamPassword, domain = new { name = s.IamDomain } } } },
                scope = new { project = new { name = s.IamProject ?? s.ProjectId } },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{(s.IamUrl ?? DefaultIamUrl).TrimEnd('/')}/v3/auth/tokens?nocatalog=true")
        {
            Content = JsonContent.Create(body),
        };
        var asked = time.GetUtcNow();
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created || !response.Headers.TryGetValues("X-Subject-Token", out var values) || values.FirstOrDefault() is not { } token)
            throw new HttpRequestException($"IAM did not issue a token ({(int)response.StatusCode}).");
        var expiresAt = asked + Lifetime;
        try
        {
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
            if (answer.TryGetProperty("token", out var t) && t.TryGetProperty("expires_at", out var e)
                && DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                expiresAt = at;
        }
        catch (JsonException)
        {
            // The header is the token; without a readable body its documented lifetime applies.
        }
        return new Cached(token, expiresAt);
    }
}
