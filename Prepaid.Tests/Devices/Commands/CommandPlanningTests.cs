using Prepaid.Api.Devices;
using Prepaid.Devices.Metering;
using Prepaid.Devices.NbIot;
using Prepaid.Engine;

namespace Prepaid.Tests.Devices.Commands;

public class CommandPlanningTests
{
    [Theory]
    [InlineData("trip", "generic-modbus", MeterAction.Trip)]
    [InlineData("close", "dlt645-2007", MeterAction.Close)]
    [InlineData("trip", "cjt188-water", MeterAction.ValveClose)]
    [InlineData("close", "nbiot-water", MeterAction.ValveOpen)]
    [InlineData("valveClose", "cjt188-water", MeterAction.ValveClose)]
    [InlineData("keepOn", "dlt645-2007", MeterAction.KeepPowerOn)]
    [InlineData("restorePrepaid", "dlt645-2007", MeterAction.KeepPowerOff)]
    [InlineData("pushTariff", "dlt645-2007", MeterAction.PushParameters)]
    [InlineData("pushSettings", "dlt645-2007", MeterAction.PushParameters)]
    [InlineData("pushTariff", "generic-modbus", MeterAction.PushParameters)]
    [InlineData("pushSettings", "generic-modbus", MeterAction.PushParameters)]
    [InlineData("trip", "acrel-ems-plugin", MeterAction.Trip)]
    [InlineData("trip", "cjt188-water-valve-2a", MeterAction.ValveClose)]
    public void Plan_MapsKindToTheProfilesAction(string kind, string profile, MeterAction expected)
    {
        var (action, refusal) = CommandKinds.Plan(kind, MeterProfiles.Find(profile)!);
        Assert.Null(refusal);
        Assert.Equal(expected, action);
    }

    [Theory]
    [InlineData("valveOpen", "generic-modbus")]
    [InlineData("pushTariff", "acrel-ddsy1352")]
    [InlineData("trip", "acrel-ddsy1352")]
    [InlineData("pushSettings", "cjt188-water")]
    [InlineData("pushTariff", "nbiot-water")]
    public void Plan_WhatTheModelCannotDo_IsRefusedWithAReason(string kind, string profile) =>
        Assert.NotNull(CommandKinds.Plan(kind, MeterProfiles.Find(profile)!).Refusal);

    [Fact]
    public void Plan_KeepOnWithoutAKeepPowerRegister_IsThePlatformsAlone() =>
        Assert.Equal((null, null), CommandKinds.Plan("keepOn", MeterProfiles.GenericModbus));

    [Fact]
    public void Backoff_DoublesFromFiveSeconds_CappedAtTenMinutes()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), CommandDispatcher.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(40), CommandDispatcher.Backoff(4));
        Assert.Equal(TimeSpan.FromMinutes(10), CommandDispatcher.Backoff(30));
    }

    [Fact]
    public void ToRegisters_PassesThePeriodRegistersAsReported_TheEngineJudgesThem_R11()
    {
        var meter = new ConnectedMeter(1, 1, 1, "1", "generic-modbus", "0.01");
        var consistent = BusPoller.ToRegisters(meter, new MeterSnapshot(12_340, [1_000, 2_000, 3_000, 6_340], false));
        Assert.Equal(new Registers(12.34m, 1m, 2m, 3m, 6.34m), consistent);
        var apart = BusPoller.ToRegisters(meter, new MeterSnapshot(12_350, [1_000, 2_000, 3_000, 6_340], false));
        Assert.Equal(new Registers(12.35m, 1m, 2m, 3m, 6.34m), apart);
        Assert.Equal(new Registers(12.35m), BusPoller.ToRegisters(meter, new MeterSnapshot(12_350, null, false)));
    }

    [Theory]
    [InlineData("PENDING", NbIotCommandOutcome.Waiting)]
    [InlineData("SENT", NbIotCommandOutcome.Waiting)]
    [InlineData("DELIVERED", NbIotCommandOutcome.Delivered)]
    [InlineData("SUCCESSFUL", NbIotCommandOutcome.Delivered)]
    [InlineData("FAILED", NbIotCommandOutcome.Failed)]
    [InlineData("TIMEOUT", NbIotCommandOutcome.Failed)]
    [InlineData("EXPIRED", NbIotCommandOutcome.Expired)]
    [InlineData("CANCELED", NbIotCommandOutcome.Expired)]
    public void NbIotStatuses_MapToOurOutcomes(string status, NbIotCommandOutcome expected) =>
        Assert.Equal(expected, NbIotStatuses.Outcome(status));
}
