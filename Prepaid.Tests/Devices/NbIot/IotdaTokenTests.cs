using Prepaid.Devices.NbIot;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Devices.NbIot;

/// <summary>Issue 11, fix 6: IoTDA calls carry an IAM token obtained with POST /v3/auth/tokens (X-Subject-Token, 24 h), not a
/// fixed header; a token that expires, by time or at the platform's will, is renewed and the command still goes.</summary>
public class IotdaTokenTests
{
    static async Task<long> ValveCloseAsync(NbIotPlatformTests.Rig rig)
    {
        var client = await rig.App.AdminAsync();
        var id = (await client.PostOkAsync($"/api/meters/{rig.MeterId}/commands", new { kind = "valveClose" })).GetProperty("commandId").GetInt64();
        await rig.App.Dispatcher.RunOnceAsync(TestContext.Current.CancellationToken);
        return id;
    }

    static async Task<(string State, string? Detail)> StateAsync(NbIotPlatformTests.Rig rig, long id)
    {
        var c = await (await rig.App.AdminAsync()).GetOkAsync($"/api/commands/{id}");
        return (c.Str("state"), c.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task TokenIsObtainedOnce_ReusedWithinItsDay_AndRenewedWhenItExpires()
    {
        await using var rig = await NbIotPlatformTests.RigAsync(NbIotPlatform.Iotda, water: true);

        var first = await ValveCloseAsync(rig);
        Assert.Equal(1, rig.Platform.TokensIssued);
        Assert.Equal(("sent", Prepaid.Api.Devices.NbIot.NbIotCommandSender.Waiting), await StateAsync(rig, first));

        rig.App.Time.Advance(TimeSpan.FromHours(20));
        await ValveCloseAsync(rig);
        Assert.Equal(1, rig.Platform.TokensIssued);                   // still valid: no new login

        rig.App.Time.Advance(TimeSpan.FromHours(4));                  // 24 h: the token has run out
        var late = await ValveCloseAsync(rig);
        Assert.Equal(2, rig.Platform.TokensIssued);
        Assert.Equal("sent", (await StateAsync(rig, late)).State);
        Assert.Equal(3, rig.Platform.CachedCount);
    }

    [Fact]
    public async Task TokenThePlatformStopsTakingMidRun_IsRenewed_AndTheCommandStillGoes()
    {
        await using var rig = await NbIotPlatformTests.RigAsync(NbIotPlatform.Iotda, water: true);
        await ValveCloseAsync(rig);

        rig.Platform.ExpireTokens();                                  // e.g. the IAM user's password changed: 401 on the cached token
        var id = await ValveCloseAsync(rig);

        Assert.Equal(2, rig.Platform.TokensIssued);
        Assert.Equal("sent", (await StateAsync(rig, id)).State);
        Assert.Equal(2, rig.Platform.CachedCount);
    }

    [Fact]
    public async Task WrongIamPassword_IsAFailedAttemptWithTheReason_NotACommandSent()
    {
        await using var rig = await NbIotPlatformTests.RigAsync(NbIotPlatform.Iotda, water: true);
        rig.Platform.IamAccount = ("ops", "another password", "acct");

        var id = await ValveCloseAsync(rig);

        var (state, _) = await StateAsync(rig, id);
        Assert.Equal("sent", state);                                   // retried with back-off
        var command = await (await rig.App.AdminAsync()).GetOkAsync($"/api/commands/{id}");
        Assert.Contains("IAM did not issue a token (401)", command.Str("error"));
        Assert.Equal(0, rig.Platform.CachedCount);
    }
}
