using Prepaid.Api.Readings;

namespace Prepaid.Tests.Api;

/// <summary>The CSV of reading imports (R31), as spreadsheet programs write it (RFC 4180).</summary>
public class CsvRecordsTests
{
    [Fact]
    public void Parse_QuotedFieldsWithCommasQuotesAndLineBreaks_R31()
    {
        var records = CsvRecords.Parse("\uFEFFserial,note\r\n\"E-1\",\"a, b\"\r\nE-2,\"say \"\"hi\"\"\"\n\"E-3\",\"two\r\nlines\"\rE-4,");
        Assert.Equal([1, 2, 3, 4, 6], records.Select(r => r.Line).ToArray());
        Assert.Equal(["serial", "note"], records[0].Fields);
        Assert.Equal(["E-1", "a, b"], records[1].Fields);
        Assert.Equal(["E-2", "say \"hi\""], records[2].Fields);
        Assert.Equal(["E-3", "two\r\nlines"], records[3].Fields);
        Assert.Equal(["E-4", ""], records[4].Fields);
    }

    [Fact]
    public void Parse_AnUnclosedQuote_IsAFormatErrorNamingItsLine_R31()
    {
        var e = Assert.Throws<FormatException>(() => CsvRecords.Parse("a,b\nc,\"d\ne,f\n"));
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Field_QuotesOnlyWhatNeedsIt_AndParsesBack_R31()
    {
        string[] values = ["plain", "a,b", "say \"x\"", "two\nlines", ""];
        var line = string.Join(',', values.Select(CsvRecords.Field));
        Assert.Equal("plain,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\",", line);
        Assert.Equal(values, CsvRecords.Parse(line).Single().Fields);
    }
}
