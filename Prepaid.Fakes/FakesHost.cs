using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Prepaid.Fakes;

/// <summary>
/// The fake Alipay, WeChat Pay and NB-IoT platforms as one process: <c>dotnet run --project Prepaid.Fakes -- --urls
/// http://127.0.0.1:5080</c>. <c>--demo</c> on the platform starts it (with <c>--parent-pid</c>, so it ends with the platform)
/// or uses the one at <c>Prepaid:Demo:FakesUrl</c>, so several nodes share one fake.
/// </summary>
public static class FakesHost
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var platforms = new FakePlatforms(TimeProvider.System);
        var app = builder.Build();
        using var invoker = new HttpMessageInvoker(platforms, disposeHandler: true);

        app.Run(async context =>
        {
            var r = context.Request;
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), $"{r.Scheme}://{r.Host}{r.PathBase}{r.Path}{r.QueryString}");
            using var body = new MemoryStream();
            await r.Body.CopyToAsync(body, context.RequestAborted);
            if (body.Length > 0 || HttpMethods.IsPost(r.Method) || HttpMethods.IsPut(r.Method)) request.Content = new ByteArrayContent(body.ToArray());
            foreach (var (name, values) in r.Headers)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
                if (!request.Headers.TryAddWithoutValidation(name, values.ToArray())) request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
            using var answer = await invoker.SendAsync(request, context.RequestAborted);
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                context.Response.Headers[name] = values.ToArray();
            }
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The platform reads this line to learn the port (--urls http://127.0.0.1:0 picks a free one).
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            Console.WriteLine($"Prepaid.Fakes listening on {address}");
        });

        // Started by a platform: end with it, even when it was killed and could not stop us.
        if (int.TryParse(app.Configuration["parent-pid"], out var parentPid))
        {
            _ = Task.Run(async () =>
            {
                while (!app.Lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    try
                    {
                        using var parent = Process.GetProcessById(parentPid);
                        if (parent.HasExited) break;
                    }
                    catch (ArgumentException)
                    {
                        break;
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                app.Lifetime.StopApplication();
            });
        }

        await app.RunAsync();
    }
}
