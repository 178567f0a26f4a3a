using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Prepaid.Tests.Web;

/// <summary>
/// Playwright's expectations wait 5 s by default, less than a page on a loaded two-core machine may take to answer;
/// they wait as long as the contexts' action timeout instead. A wrong page still fails, only later.
/// </summary>
static class ExpectTimeout
{
    [ModuleInitializer]
    internal static void Set() => Assertions.SetDefaultExpectTimeout(15_000);
}
