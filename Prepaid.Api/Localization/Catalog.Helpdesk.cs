namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>The helpdesk (Helpdesk/): tenants' requests, photos, comments, assignment and closing.</summary>
    static readonly Dictionary<string, string> ZhCnHelpdesk = new()
    {
        ["Must be supplyOutage, meterFault, billingQuestion, leak or other."] = "必须是 supplyOutage（停电停水）、meterFault（表计故障）、billingQuestion（费用咨询）、leak（漏水）或 other（其他）。",
        ["Must be 1 to 2000 characters, not only spaces, and no control characters but line breaks and tabs."] = "必须为 1 至 2000 个字符，不能只有空格，除换行和制表符外不能含控制字符。",
        ["Must be an account id."] = "必须是账户编号。",
        ["Must be a site id."] = "必须是站点编号。",
        ["Must be a user id."] = "必须是用户编号。",
        ["Must be a JPEG, PNG or WebP image."] = "必须是 JPEG、PNG 或 WebP 图片。",
        ["Must be the image's bytes in base64, or a data: URL with ;base64."] = "必须是图片内容的 base64 编码，或带 ;base64 的 data: URL。",
        ["At most 5 MB."] = "最大 5 MB。",
        ["The photo is empty."] = "照片为空。",
        ["Is not the account's site; leave it out or name the account's site."] = "不是该账户所在的站点：请不填，或填写账户所在站点。",
        ["You have no account at any site yet."] = "您在任何站点都还没有账户。",
        ["No site to send the request to."] = "没有可提交报修的站点。",
        ["You have accounts at several sites: name the site or the account."] = "您在多个站点有账户：请指明站点或账户。",
        ["The request is closed: reopen it first."] = "该工单已关闭：请先重新打开。",
        ["The request is closed already."] = "该工单已经关闭。",
        ["The request is not closed."] = "该工单未关闭。",
        ["Must be an enabled admin or an operator of the request's site."] = "必须是已启用的管理员，或该工单所在站点的操作员。",
        ["Service request {id}"] = "工单 {id}",
        ["The photo of service request {id}"] = "工单 {id} 的照片",
    };
}
