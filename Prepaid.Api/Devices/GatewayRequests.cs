using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Prepaid.Api.Common;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>A gateway: a Modbus TCP gateway, a transparent DTU, a serial port, a DL/T 645 or CJ/T 188 converter, or an
/// NB-IoT platform (iotda | ctwing) whose base URL goes in <c>host</c>.</summary>
public sealed record CreateGatewayRequest(
    [property: Range(1, long.MaxValue)] long SiteId,
    [property: MaxLength(Limits.Name)] string? Name,
    [property: Description("modbusTcp, modbusRtuOverTcp, modbusRtu, dlt645Tcp, cjt188Tcp, iotda or ctwing."), RegularExpression("^(modbusTcp|modbusRtuOverTcp|modbusRtu|dlt645Tcp|cjt188Tcp|iotda|ctwing)$")] string? Protocol,
    [property: MaxLength(CreateGatewayRequest.HostMax), Description("A host name or address; an NB-IoT platform's base URL.")] string? Host,
    [property: Range(1, 65535)] int? Port,
    [property: MaxLength(Limits.Code), Description("modbusRtu: e.g. /dev/ttyUSB0.")] string? SerialPort,
    [property: Range(50, 60_000)] int? TimeoutMs,
    [property: Description("A JSON object of at most 4096 characters (credentials, callbackToken).")] System.Text.Json.JsonElement? Settings)
{
    public const int HostMax = 200;
}

public sealed class CreateGatewayValidator : AbstractValidator<CreateGatewayRequest>
{
    public static readonly string[] Protocols = ["modbusTcp", "modbusRtuOverTcp", "modbusRtu", "dlt645Tcp", "cjt188Tcp", "iotda", "ctwing"];

    public CreateGatewayValidator()
    {
        RuleFor(r => r.SiteId).GreaterThan(0);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.Protocol).Must(p => Protocols.Contains(p)).WithMessage($"Must be one of {string.Join(", ", Protocols)}.");
        RuleFor(r => r.Host).NotEmpty().When(r => r.Protocol is not "modbusRtu").WithMessage("A host (or the platform's base URL) is required.");
        RuleFor(r => r.Host).MaximumLength(CreateGatewayRequest.HostMax);
        RuleFor(r => r.Port).NotNull().When(r => r.Protocol is "modbusTcp" or "modbusRtuOverTcp" or "dlt645Tcp" or "cjt188Tcp");
        RuleFor(r => r.Port).InclusiveBetween(1, 65535).When(r => r.Port is not null);
        RuleFor(r => r.SerialPort).NotEmpty().When(r => r.Protocol is "modbusRtu").WithMessage("A serial port (e.g. /dev/ttyUSB0) is required.");
        RuleFor(r => r.SerialPort).MaximumLength(Limits.Code);
        RuleFor(r => r.TimeoutMs).InclusiveBetween(50, 60_000).When(r => r.TimeoutMs is not null);
        RuleFor(r => r.Settings).Must(Limits.IsSmallObject).WithMessage("Must be a JSON object of at most 4096 characters.");
    }

    public static GatewayProtocol? ToProtocol(string protocol) => protocol switch
    {
        "modbusTcp" => GatewayProtocol.ModbusTcp,
        "modbusRtuOverTcp" => GatewayProtocol.ModbusRtuOverTcp,
        "modbusRtu" => GatewayProtocol.ModbusRtu,
        "dlt645Tcp" => GatewayProtocol.Dlt645Tcp,
        "cjt188Tcp" => GatewayProtocol.Cjt188Tcp,
        _ => null, // NB-IoT platforms have no bus link
    };
}

/// <summary>One RS-485 segment behind a gateway, polled every <c>pollIntervalSeconds</c>.</summary>
public sealed record CreateBusRequest(
    [property: MaxLength(Limits.Name)] string? Name,
    [property: Description("1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200.")] int? BaudRate,
    [property: Range(1, 86_400)] int? PollIntervalSeconds,
    [property: Range(1, 100)] int? OfflineAfter);

public sealed class CreateBusValidator : AbstractValidator<CreateBusRequest>
{
    public CreateBusValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(Limits.Name);
        RuleFor(r => r.BaudRate).Must(b => b is 1200 or 2400 or 4800 or 9600 or 19200 or 38400 or 57600 or 115200)
            .When(r => r.BaudRate is not null).WithMessage("Must be a standard baud rate (1200 … 115200).");
        RuleFor(r => r.PollIntervalSeconds).InclusiveBetween(1, 86_400).When(r => r.PollIntervalSeconds is not null);
        RuleFor(r => r.OfflineAfter).InclusiveBetween(1, 100).When(r => r.OfflineAfter is not null);
    }
}

/// <summary>How a meter is reached: a bus (wired) or an NB-IoT gateway, its address there and its profile. NB-IoT meters
/// also say how often they report (<c>reportPeriodMinutes</c>, the profile's period by default) and after how many missed
/// reports they count as offline (<c>offlineAfterReports</c>, default 3).</summary>
public sealed record MeterConnectionRequest(
    [property: Range(1, long.MaxValue)] long? BusId,
    [property: Range(1, long.MaxValue)] long? GatewayId,
    [property: MaxLength(Limits.Code), Description("Modbus unit id 1..247, DL/T 645 12 digits, CJ/T 188 14 digits, or the NB-IoT device id.")] string? Address,
    [property: Description("One of GET /api/meter-profiles.")] string? Profile,
    [property: Range(1, 10080), Description("NB-IoT: minutes between the meter's reports (at most a week).")] int? ReportPeriodMinutes = null,
    [property: Range(1, 100), Description("NB-IoT: missed reports after which the meter counts as offline.")] int? OfflineAfterReports = null);

public sealed class MeterConnectionValidator : AbstractValidator<MeterConnectionRequest>
{
    public MeterConnectionValidator()
    {
        RuleFor(r => r.BusId).NotNull().When(r => r.GatewayId is null).WithMessage("Give busId (wired meters) or gatewayId (NB-IoT meters).");
        RuleFor(r => r.BusId).GreaterThan(0).When(r => r.BusId is not null);
        RuleFor(r => r.GatewayId).GreaterThan(0).When(r => r.GatewayId is not null);
        RuleFor(r => r.Address).NotEmpty().MaximumLength(Limits.Code);
        RuleFor(r => r.Profile).Must(p => MeterProfiles.Find(p) is not null)
            .WithMessage($"Must be one of {string.Join(", ", MeterProfiles.All.Select(p => p.Name))}.");
        RuleFor(r => r.Address).Must(a => byte.TryParse(a, out var u) && u is >= 1 and <= 247)
            .When(r => MeterProfiles.Find(r.Profile)?.Protocol == MeterProtocol.Modbus).WithMessage("A Modbus unit id 1..247.");
        RuleFor(r => r.Address).Matches("^[0-9]{12}$").When(r => MeterProfiles.Find(r.Profile)?.Protocol == MeterProtocol.Dlt645)
            .WithMessage("A DL/T 645 address of 12 digits.");
        RuleFor(r => r.Address).Matches("^[0-9]{14}$").When(r => MeterProfiles.Find(r.Profile)?.Protocol == MeterProtocol.Cjt188)
            .WithMessage("A CJ/T 188 address of 14 digits.");
        RuleFor(r => r.ReportPeriodMinutes).InclusiveBetween(1, 7 * 24 * 60).When(r => r.ReportPeriodMinutes is not null)
            .WithMessage("Minutes between the meter's reports, 1 to 10080 (a week).");
        RuleFor(r => r.OfflineAfterReports).InclusiveBetween(1, 100).When(r => r.OfflineAfterReports is not null);
        RuleFor(r => r.ReportPeriodMinutes).Null().When(r => r.BusId is not null).WithMessage("Only NB-IoT meters report on their own schedule.");
        RuleFor(r => r.OfflineAfterReports).Null().When(r => r.BusId is not null).WithMessage("Only NB-IoT meters report on their own schedule.");
    }
}
