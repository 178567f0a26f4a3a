using System.Text.Json;
using Prepaid.Devices.NbIot;

namespace Prepaid.Tests.Devices.NbIot;

public class NbIotPayloadsTests
{
    [Theory]
    [InlineData("""{"total":99999999999999999999}""")]
    [InlineData("""{"total":"99999999999999999999"}""")]
    [InlineData("""{"total":"1000000000000"}""")]
    [InlineData("""{"total":-1}""")]
    public void Snapshot_TotalNoMeterCarries_IsNoMeterData(string json) =>
        Assert.Null(NbIotPayloads.Snapshot(JsonDocument.Parse(json).RootElement));

    [Theory]
    [InlineData("""{"total":"12.345","relay":7}""")]
    [InlineData("""{"total":"12.345","valve":{"x":1}}""")]
    public void Snapshot_SwitchStateNotText_IsUnknownNotAnError(string json)
    {
        var s = NbIotPayloads.Snapshot(JsonDocument.Parse(json).RootElement);
        Assert.NotNull(s);
        Assert.Equal(12_345, s!.TotalMilli);
        Assert.Null(s.SwitchOpen);
    }
}
