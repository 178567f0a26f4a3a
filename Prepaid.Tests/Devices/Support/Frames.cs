using Prepaid.Devices.Codec;

namespace Prepaid.Tests.Devices.Support;

/// <summary>Golden frames, each with where it came from. "notes" = shared/docs/protocols-notes.md.</summary>
public static class Frames
{
    // notes §1.5 / §0: RAN against libmodbus 3.1.6, pymodbus 3.0.0 and a socat DTU; register 0..1 = 1, 34464.
    public const string ModbusRtuReadRequest = "01 03 00 00 00 02 C4 0B";
    public const string ModbusRtuReadReply = "01 03 04 00 01 86 A0 C9 EB";

    // notes §2.7: read forward active energy (DI 00010000) of meter 000000000161; checksums RAN.
    public const string Dlt645ReadEnergyRequest = "FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 33 34 33 14 16";
    public const string Dlt645ReadEnergyReply = "68 61 01 00 00 00 00 68 91 08 33 33 34 33 59 33 33 33 8A 16";

    // notes §2.7: read phase-A voltage (DI 02010100); reply 100.1 V.
    public const string Dlt645ReadVoltageRequest = "FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 34 34 35 17 16";
    public const string Dlt645ReadVoltageReply = "68 61 01 00 00 00 00 68 91 06 33 34 34 35 34 43 10 16";

    // notes §2.7: the 600888/dlt645 simulator's reply for 1234.56 kWh. The notes elide the address
    // ("…"); address 000000000161 reproduces the printed checksum 00, so that is the one used.
    public const string Dlt645Energy123456Reply = "68 61 01 00 00 00 00 68 91 08 33 33 34 33 89 67 45 33 00 16";

    // notes §2.4: trip, level 02, password 000000, operator 00000000, valid until 2025-12-31 23:59:59;
    // checksum RAN, not sent to a real meter.
    public const string Dlt645TripRequest =
        "68 61 01 00 00 00 00 68 1C 10 35 33 33 33 33 33 33 33 4D 33 8C 8C 56 64 45 58 E7 16";

    // notes §3.4: CJ/T 188 read 901F of cold-water meter 00000000000012 (DI sent 90 1F); checksums RAN.
    public const string Cjt188ReadRequest = "68 10 12 00 00 00 00 00 00 01 03 90 1F 00 3D 16";
    public const string Cjt188ReadReply =
        "68 10 12 00 00 00 00 00 00 81 16 90 1F 00 10 00 10 00 2C 10 00 10 00 2C 00 00 00 00 00 00 00 00 FF 67 16";

    // notes §3.4: read address with wildcard type and address.
    public const string Cjt188ReadAddressRequest = "68 AA AA AA AA AA AA AA AA 03 03 81 0A 00 49 16";

    // The SC water meter's exchange, published in "常用传感器协议1/2: CJ/T-188 水表协议解析" (cnblogs.com/yangykaifa/p/7010777.html,
    // 2017; mirrored at hftangyu.com/563.html and topic.alibabacloud.com): meter 78330011223344 (factory code 7833),
    // read DI sent 1F 90, valve DI A0 17, C = 04. Checksums RAN.
    public const string ScReadRequest = "FE FE FE FE 68 10 44 33 22 11 00 33 78 01 03 1F 90 00 80 16";

    // The article prints CS 08 for this reply, but its bytes sum to 13 (the explanation line drops a "+"): a frame with
    // CS 08 is rightly refused, so the golden frame carries the sum of the published bytes. 556677.00 m³ current and
    // settlement flow, meter time 2015-05-11 22:01:31, ST 21 84.
    public const string ScReadReply =
        "FE FE FE FE 68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 13 16";

    public const string ScReadReplyAsPublished =
        "FE FE FE FE 68 10 44 33 22 11 00 33 78 81 16 1F 90 00 00 77 66 55 2C 00 77 66 55 2C 31 01 22 11 05 15 20 21 84 08 16";

    // Part 2 of the article: meter 78331505900569, valve open / close and the reply to open (ST 00 00: open).
    public const string ScValveOpenRequest = "FE FE FE FE 68 10 69 05 90 05 15 33 78 04 04 A0 17 01 55 50 16";
    public const string ScValveCloseRequest = "FE FE FE FE 68 10 69 05 90 05 15 33 78 04 04 A0 17 01 99 94 16";
    public const string ScValveOpenReply = "FE FE FE FE 68 10 69 05 90 05 15 33 78 84 05 A0 17 01 00 00 7C 16";

    // Issue 11, fix 3: valve control with C = 2A, as common water-meter firmwares do it (no published document found;
    // the capture elides type and address, "…"). Type 10 and address 00000000000707 reproduce both printed checksums.
    public const string ValveOpen2ARequest = "68 10 07 07 00 00 00 00 00 2A 04 A0 17 00 55 C0 16";
    public const string ValveOpen2AReply = "68 10 07 07 00 00 00 00 00 AA 05 A0 17 00 01 FF EC 16";

    // Issue 11, fix 1: an MBAP length of 0xFF (beyond the 254 a 253-byte PDU allows) with FC16 and 248 zero bytes.
    // A decoder that drops one byte and rescans finds "01 10 | 00 00 | 00 7C | F8 …" inside it and answers it.
    public const string OversizedMbapHead = "00 01 00 00 00 FF 01 10 00 00 00 7C F8";

    public static byte[] OversizedMbapRequest() => [.. Hex.Parse(OversizedMbapHead), .. new byte[248]];

    // The reply the platform's gateway simulator gave to it: to transaction 0x0110, never sent.
    public const string OversizedMbapPhantomReply = "01 10 00 00 00 03 F8 80 0B";

    public static byte[] Bytes(string hex) => Hex.Parse(hex);
}
