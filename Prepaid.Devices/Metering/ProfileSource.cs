namespace Prepaid.Devices.Metering;

/// <summary>A published document a profile was written from, and which part of the profile it backs.</summary>
/// <param name="Covers">What in the profile comes from this document, e.g. "energy registers 0000H–0009H".</param>
public sealed record ProfileSource(string Title, string Publisher, string Version, string Url, string Covers);
