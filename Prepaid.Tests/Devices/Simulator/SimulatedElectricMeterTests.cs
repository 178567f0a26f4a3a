using Prepaid.Devices.Simulator;
using Prepaid.Tests.Devices.Support;
using Xunit;

namespace Prepaid.Tests.Devices.Simulator;

public class SimulatedElectricMeterTests
{
    [Fact]
    public void ReadEnergies_ConstantLoadForAnHour_AccruesExactly()
    {
        var time = SettableTimeProvider.At2026();
        var meter = new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(1200), initialTotalWh: 5000);

        time.Advance(TimeSpan.FromHours(1));
        var energies = meter.ReadEnergies();

        Assert.Equal(6200, energies.TotalWh);
        Assert.Equal(new long[] { 0, 0, 1200, 0 }, energies.PeriodsWh);
    }

    [Fact]
    public void ReadEnergies_ReadEverySecond_DoesNotDrift()
    {
        var time = SettableTimeProvider.At2026();
        var meter = new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(1000));

        for (var i = 0; i < 3600; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            meter.ReadEnergies();
        }

        Assert.Equal(1000, meter.ReadEnergies().TotalWh);
    }

    [Fact]
    public void ReadEnergies_DefaultProfileOverADay_BooksEachHourToItsPeriod()
    {
        var time = SettableTimeProvider.At2026();
        var profile = LoadProfile.Default;
        var meter = new SimulatedElectricMeter(1, "000000000001", time, profile);

        time.Advance(TimeSpan.FromDays(1));
        var energies = meter.ReadEnergies();

        Assert.Equal(profile.WattsByHour.Sum(), energies.TotalWh);
        for (var period = 1; period <= 4; period++)
        {
            var expected = Enumerable.Range(0, 24).Where(h => profile.PeriodByHour[h] == period).Sum(h => profile.WattsByHour[h]);
            Assert.Equal(expected, energies.PeriodsWh[period - 1]);
        }
    }

    [Fact]
    public void Trip_StopsEnergy_CloseResumesIt()
    {
        var time = SettableTimeProvider.At2026();
        var meter = new SimulatedElectricMeter(1, "000000000001", time, LoadProfile.Constant(600));

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.True(meter.Trip());
        time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(300, meter.ReadEnergies().TotalWh);

        meter.Close();
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(600, meter.ReadEnergies().TotalWh);
    }

    [Fact]
    public void KeepPower_RefusesTrip_And_CloseAllowedWaitsForButton()
    {
        var time = SettableTimeProvider.At2026();
        var meter = new SimulatedElectricMeter(1, "000000000001", time);

        meter.SetKeepPower(true);
        Assert.False(meter.Trip());
        meter.SetKeepPower(false);
        Assert.True(meter.Trip());

        meter.AllowClose();
        Assert.True(meter.RelayOpen);
        Assert.False(meter.CommandOpen);
        meter.PressButton();
        Assert.False(meter.RelayOpen);
    }
}
