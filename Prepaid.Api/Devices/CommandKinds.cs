using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>The command kinds of the API and what each asks of a meter of a given profile.</summary>
public static class CommandKinds
{
    public static readonly string[] All = ["trip", "close", "keepOn", "restorePrepaid", "valveOpen", "valveClose", "pushTariff", "pushSettings"];

    public const string Requested = "requested", Sent = "sent", Confirmed = "confirmed", Failed = "failed", Expired = "expired";

    public static readonly string[] States = [Requested, Sent, Confirmed, Failed, Expired];

    /// <summary>
    /// The meter action for a command, or null with the reason it cannot be done on this profile. On a water meter
    /// trip/close mean closing/opening the valve: the engine asks the same way for both utilities.
    /// keepOn/restorePrepaid without a keep-power register are kept by the platform alone (the account's keep-on flag).
    /// </summary>
    public static (MeterAction? Action, string? Refusal) Plan(string kind, MeterProfile profile)
    {
        var relay = profile.Can(MeterCapabilities.Relay);
        var valve = profile.Can(MeterCapabilities.Valve);
        return kind switch
        {
            "trip" when relay => (MeterAction.Trip, null),
            "trip" when valve => (MeterAction.ValveClose, null),
            "close" when relay => (MeterAction.Close, null),
            "close" when valve => (MeterAction.ValveOpen, null),
            "valveOpen" when valve => (MeterAction.ValveOpen, null),
            "valveClose" when valve => (MeterAction.ValveClose, null),
            "keepOn" when profile.Can(MeterCapabilities.KeepPower) => (MeterAction.KeepPowerOn, null),
            "restorePrepaid" when profile.Can(MeterCapabilities.KeepPower) => (MeterAction.KeepPowerOff, null),
            "keepOn" or "restorePrepaid" => (null, null),
            "pushTariff" when MeterParameters.Prices.All(profile.Takes) => (MeterAction.PushParameters, null),
            "pushSettings" when profile.Parameters.Any(p => !MeterParameters.Prices.Contains(p)) => (MeterAction.PushParameters, null),
            "pushTariff" or "pushSettings" when profile.Parameters.Count == 0 =>
                (null, $"Profile {profile.Name} has no writable tariff or settings registers; prices are applied by the platform."),
            "pushTariff" => (null, $"Profile {profile.Name} has no four tariff price registers."),
            "pushSettings" => (null, $"Profile {profile.Name} has no writable alarm or overload limits."),
            _ => (null, $"Profile {profile.Name} has no {(kind.StartsWith("valve") ? "valve" : "relay")}."),
        };
    }
}
