namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>The framework's titles, the shared problem texts, reading the request, signing in, and the words placeholders carry.</summary>
    static readonly Dictionary<string, string> ZhCnCommon = new()
    {
        // ASP.NET Core's default problem titles (status code pages, authorization, binding).
        ["Bad Request"] = "请求有误",
        ["Unauthorized"] = "未登录或登录已过期",
        ["Forbidden"] = "没有权限",
        ["Not Found"] = "未找到",
        ["Method Not Allowed"] = "不支持该请求方法",
        ["Not Acceptable"] = "无法提供所要求的格式",
        ["Request Timeout"] = "请求超时",
        ["Conflict"] = "冲突",
        ["Gone"] = "已不存在",
        ["Precondition Failed"] = "前提条件不满足",
        ["Payload Too Large"] = "请求内容过大",
        ["Content Too Large"] = "请求内容过大",
        ["Request Entity Too Large"] = "请求内容过大",
        ["Unsupported Media Type"] = "不支持的内容类型",
        ["Unprocessable Entity"] = "无法处理的请求",
        ["Unprocessable Content"] = "无法处理的请求",
        ["Upgrade Required"] = "需要升级协议",
        ["Too Many Requests"] = "请求过于频繁",
        ["Internal Server Error"] = "服务器内部错误",
        ["Not Implemented"] = "尚未实现",
        ["Bad Gateway"] = "上游服务出错",
        ["Service Unavailable"] = "服务暂不可用",
        ["Gateway Timeout"] = "上游服务超时",
        ["An error occurred while processing your request."] = "处理请求时出错。",
        ["One or more validation errors occurred."] = "有字段未通过校验。",

        // Problems.cs, Validation.cs, BadRequestHandler.cs, RateLimits.cs, WebAppHosting.cs.
        ["The request has invalid fields."] = "请求中有字段不正确。",
        ["{what*} was not found."] = "未找到{what:t}。",
        ["A JSON body is required."] = "需要 JSON 请求体。",
        ["The request could not be read: send well-formed JSON and parameters of the documented shape."] = "无法读取请求：请发送格式正确的 JSON 和符合文档的参数。",
        ["The request could not be read."] = "无法读取请求。",
        ["Appears more than once in the same object: send each field once."] = "同一对象中出现了多次：每个字段只能发送一次。",
        ["Holds a NUL character (U+0000), which no field takes."] = "含有 NUL 字符（U+0000），任何字段都不接受。",
        ["Has the wrong JSON type or does not fit it; see the OpenAPI schema for the field's type and range."] = "JSON 类型不对或超出范围；字段的类型和范围见 OpenAPI 文档。",
        ["The body could not be read as the documented JSON."] = "无法按文档的 JSON 格式读取请求体。",
        ["A JSON body of the documented shape is required."] = "需要符合文档格式的 JSON 请求体。",
        ["Is required."] = "必填。",
        ["\"{value*}\" is not a valid integer."] = "“{value}”不是有效的整数。",
        ["\"{value*}\" is not a valid true or false."] = "“{value}”不是有效的 true 或 false。",
        ["\"{value*}\" is not a valid value."] = "“{value}”不是有效的值。",
        ["Too many requests; try again later."] = "请求过于频繁，请稍后再试。",
        ["Must be an ISO 8601 instant with offset between 2000-01-01 and 2100-01-01, e.g. 2026-11-23T08:00:00+08:00."] =
            "必须是带时区偏移的 ISO 8601 时间，介于 2000-01-01 与 2100-01-01 之间，例如 2026-11-23T08:00:00+08:00。",
        ["Must be one of {list*}."] = "必须是以下之一：{list}。",
        ["Must be json or xlsx."] = "必须是 json 或 xlsx。",
        ["Must be a JSON object of at most 4096 characters."] = "必须是不超过 4096 个字符的 JSON 对象。",
        ["Must be printable ASCII without spaces, at most 100 characters."] = "必须是不含空格的可打印 ASCII 字符，最多 100 个字符。",
        ["Differs from the Idempotency-Key header."] = "与 Idempotency-Key 请求头不一致。",

        // DataAnnotations on handler parameters (Validation.CheckParameters).
        ["The field {name} must be between {min} and {max}."] = "字段 {name} 必须介于 {min} 与 {max} 之间。",
        ["The field {name} must be a string or array type with a maximum length of '{n}'."] = "字段 {name} 的长度最多为 {n}。",
        ["The field {name} must be a string or array type with a minimum length of '{n}'."] = "字段 {name} 的长度至少为 {n}。",
        ["The field {name} must match the regular expression '{pattern*}'."] = "字段 {name} 必须符合正则表达式“{pattern}”。",
        ["The {name} field is required."] = "字段 {name} 为必填。",

        // Signing in and sessions.
        ["The username or password is wrong."] = "用户名或密码错误。",
        ["The token is unknown or has expired."] = "登录凭证无效或已过期。",
        ["The current password is wrong."] = "当前密码错误。",
        ["The new password must differ from the current one."] = "新密码不能与当前密码相同。",

        // Things a message names: "{what*} was not found." and friends.
        ["Account {id}"] = "账户 {id}",
        ["Site {id}"] = "站点 {id}",
        ["Meter {id}"] = "电表 {id}",
        ["Tariff {id}"] = "电价 {id}",
        ["Tenant {id}"] = "租户 {id}",
        ["User {id}"] = "用户 {id}",
        ["Gateway {id}"] = "网关 {id}",
        ["Command {id}"] = "命令 {id}",
        ["Batch {id}"] = "批量任务 {id}",
        ["Apportionment rule {id}"] = "公摊规则 {id}",
        ["Payment order {no}"] = "支付订单 {no}",
        ["Outbox entry {id}"] = "事件 {id}",
        ["A reconciliation of {channel} for {day}"] = "{day} 的{channel:t}对账",

        // Words that placeholders carry (rendered where a template says {x:t}).
        ["electricity"] = "电", ["water"] = "水", ["heat"] = "热",
        ["alipay"] = "支付宝", ["wechat"] = "微信支付", ["Alipay"] = "支付宝", ["WeChat Pay"] = "微信支付",
        ["trip"] = "拉闸", ["close"] = "合闸", ["keepOn"] = "保电", ["restorePrepaid"] = "恢复预付费",
        ["valveOpen"] = "开阀", ["valveClose"] = "关阀", ["pushTariff"] = "下发电价", ["pushSettings"] = "下发参数",
        ["relay"] = "继电器", ["valve"] = "阀门", ["open"] = "断开", ["closed"] = "闭合",
        ["sharp"] = "尖", ["peak"] = "峰", ["flat"] = "平", ["valley"] = "谷", ["total"] = "总",
    };
}
