using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Prepaid.Api.WebApp;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// How the built web app travels: files go out as the build compressed them (Brotli, else gzip, else as they are, by
/// Accept-Encoding), and the phone page's first load is split from the dashboard's Element Plus and from ECharts.
/// These run against Prepaid.Web/dist as `npm run build` leaves it.
/// </summary>
public partial class WebAppDeliveryTests
{
    static string Dist => WebAppHosting.Locate(new TestEnvironment(), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build())
                          ?? throw new InvalidOperationException("No Prepaid.Web/dist: run npm run build in Prepaid.Web.");

    sealed class TestEnvironment : Microsoft.AspNetCore.Hosting.IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = "";
        public Microsoft.Extensions.FileProviders.IFileProvider WebRootFileProvider { get; set; } = null!;
        public string ApplicationName { get; set; } = "Prepaid.Api";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public string EnvironmentName { get; set; } = "Production";
    }

    /// <summary>The files the phone page loads before it runs: its script, the module preloads and the stylesheets.</summary>
    static List<string> FirstLoad()
    {
        var html = File.ReadAllText(Path.Combine(Dist, "m", "index.html"));
        return AssetReference().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
    }

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();

    static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await client.SendAsync(request);
    }

    static byte[] Decode(byte[] body, string? encoding)
    {
        if (encoding is null) return body;
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData(null, null)]
    public async Task PhonePageAndItsAssets_GoOutPrecompressed_AsTheClientAccepts(string? accept, string? expected)
    {
        using var app = new PrepaidApp();
        // The test client would decompress on its own; this one shows the bytes as they travel.
        using var client = app.CreateDefaultClient();
        foreach (var path in FirstLoad().Prepend("/m/"))
        {
            using var response = await GetAsync(client, path, accept);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var file = path == "/m/" ? Path.Combine(Dist, "m", "index.html") : Path.Combine(Dist, path.TrimStart('/'));
            var raw = await File.ReadAllBytesAsync(file);
            var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
            // Tiny files are not worth compressing and have no twin.
            if (raw.Length >= 512) Assert.Equal(expected, encoding);
            Assert.Equal(raw, Decode(await response.Content.ReadAsByteArrayAsync(), encoding));
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            var type = response.Content.Headers.ContentType?.MediaType;
            Assert.Equal(path == "/m/" ? "text/html" : path.EndsWith(".css") ? "text/css" : "text/javascript", type);
        }
    }

    [Fact]
    public async Task CompressedTwin_AskedForByName_Answers404()
    {
        using var app = new PrepaidApp();
        using var client = app.CreateDefaultClient();
        var script = FirstLoad().First(p => p.EndsWith(".js"));
        Assert.True(File.Exists(Path.Combine(Dist, script.TrimStart('/') + ".br")), "the build writes .br twins (vite.config.js)");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, script + ".br", "br")).StatusCode);
    }

    [Fact]
    public void PhonePageFirstLoad_HasNeitherElementPlusNorECharts_AndStaysUnderItsBudget()
    {
        var files = FirstLoad();
        Assert.Contains(files, f => f.EndsWith(".js"));
        foreach (var f in files)
        {
            var text = File.ReadAllText(Path.Combine(Dist, f.TrimStart('/')));
            Assert.DoesNotContain("ElementPlus", text);
            Assert.DoesNotContain("getZr", text); // ECharts' zrender handle: only the lazily loaded chart has it
        }
        // A file too small to gain from compression (vite.config.js skips those under 512 bytes) is sent as it is.
        var brotli = files.Sum(f => Path.Combine(Dist, f.TrimStart('/')) is var path && File.Exists(path + ".br")
            ? new FileInfo(path + ".br").Length : new FileInfo(path).Length);
        Assert.True(brotli < 300 * 1024, $"the phone page's first load is {brotli / 1024} KB compressed");
    }
}
