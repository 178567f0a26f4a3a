namespace Prepaid.Api.Localization;

public static partial class Catalog
{
    /// <summary>Gateways, connections, commands and their outcomes, device alarms.</summary>
    static readonly Dictionary<string, string> ZhCnDevices = new()
    {
        // Configuration.
        ["Cluster mode needs a server database (PostgreSQL or SQL Server); SQLite is single-node, so turn cluster mode off to run on SQLite."] =
            "集群模式需要服务器数据库（PostgreSQL 或 SQL Server）；SQLite 只能单节点运行，请关闭集群模式后再使用 SQLite。",
        ["A host (or the platform's base URL) is required."] = "需要主机地址（或平台的基础 URL）。",
        ["A serial port (e.g. /dev/ttyUSB0) is required."] = "需要串口（例如 /dev/ttyUSB0）。",
        ["Must be a standard baud rate (1200 … 115200)."] = "必须是标准波特率（1200 … 115200）。",
        ["Give busId (wired meters) or gatewayId (NB-IoT meters)."] = "请给出 busId（有线电表）或 gatewayId（NB-IoT 电表）。",
        ["A Modbus unit id 1..247."] = "Modbus 从站地址 1..247。",
        ["A DL/T 645 address of 12 digits."] = "12 位的 DL/T 645 地址。",
        ["A CJ/T 188 address of 14 digits."] = "14 位的 CJ/T 188 地址。",
        ["The site already has a gateway named {name*}."] = "本站点已有名为 {name} 的网关。",
        ["The name is taken."] = "名称已被占用。",
        ["An NB-IoT platform has no RS-485 bus; connect its meters with gatewayId."] = "NB-IoT 平台没有 RS-485 总线；请用 gatewayId 连接其电表。",
        ["This gateway has no buses."] = "该网关没有总线。",
        ["The gateway already has a bus named {name*}."] = "该网关已有名为 {name} 的总线。",
        ["Profile {profile} meters {utility}, the meter is {meter}."] = "型号 {profile} 计量{utility:t}，而该表是{meter:t}表。",
        ["Bus {id} does not exist on the meter's site."] = "电表所在站点没有总线 {id}。",
        ["A {protocol} meter cannot sit behind a {gateway} gateway."] = "{protocol} 电表不能接在 {gateway} 网关后面。",
        ["Gateway {id} does not exist on the meter's site."] = "电表所在站点没有网关 {id}。",
        ["Wired meters connect to a bus; only NB-IoT meters connect to a platform gateway directly."] = "有线电表接在总线上；只有 NB-IoT 电表直接连接平台网关。",

        // Commands: refused at the door.
        ["Profile {profile} has no writable tariff or settings registers; prices are applied by the platform."] = "型号 {profile} 没有可写的电价或参数寄存器；价格由平台计算。",
        ["Profile {profile} has no {part}."] = "型号 {profile} 没有{part:t}。",
        ["prices needs sharp, peak, flat and valley, each a price string with at most 4 decimals."] = "prices 需要尖、峰、平、谷四个价格，每个都是最多 4 位小数的字符串。",
        ["alarm1 and alarm2 are needed, each an amount string with at most 2 decimals."] = "需要 alarm1 和 alarm2，每个都是最多 2 位小数的金额字符串。",
        ["No prices given and the meter's account has no flat or time-of-use tariff in force."] = "未给出价格，且该电表的账户没有生效的平价或分时电价。",
        ["No settings given and the meter has no open account to take them from."] = "未给出参数，且该电表没有可取参数的未销户账户。",
        ["The meter has no connection (PUT /api/meters/{id}/connection)."] = "该电表没有配置连接（PUT /api/meters/{id}/connection）。",
        ["1 to 10,000 meters."] = "1 至 10,000 块表。",

        // Commands: what happened to them.
        ["Superseded by a later {kind} request."] = "已被之后的{kind:t}请求取代。",
        ["Not confirmed before it expired."] = "过期前未得到确认。",
        ["The meter has no connection any more."] = "该电表已没有连接。",
        ["Kept by the platform: the meter has no keep-power register."] = "由平台保电：该电表没有保电寄存器。",
        ["The meter's bus no longer exists."] = "该电表的总线已不存在。",
        ["{register} not confirmed: {status} {detail*}"] = "{register} 未得到确认：{status:t} {detail:t}",
        ["Every value read back as written."] = "回读的每个值都与写入一致。",
        ["Not delivered: {status} {detail*}"] = "未送达：{status:t} {detail:t}",
        ["Meter refused: {status} {detail*}"] = "电表拒绝：{status:t} {detail:t}",
        ["Read-back shows {state}"] = "回读显示继电器{state:t}",
        ["Read-back shows {state}, keep-power {keep}"] = "回读显示继电器{state:t}，保电{keep:t}",
        ["Read-back failed: {status} {detail*}"] = "回读失败：{status:t} {detail:t}",
        ["{error*} (after {n} attempts)"] = "{error:t}（共尝试 {n} 次）",
        ["Retrying (attempt {n} of {max})."] = "正在重试（第 {n} 次，共 {max} 次）。",
        ["Confirmed by the meter's report."] = "已由电表上报确认。",
        ["The platform reports {status}"] = "平台报告 {status}",
        ["The platform reports {status}: {detail*}"] = "平台报告 {status}：{detail}",
        ["The platform reports {status}: the meter did not wake in time."] = "平台报告 {status}：电表未及时唤醒。",
        ["Delivered ({status}); waiting for the meter's report to confirm."] = "已送达（{status}）；等待电表上报确认。",
        ["Waiting for the meter's next report."] = "等待电表下一次上报。",
        ["No answer in time (timeout)."] = "未及时应答（超时）。",
        ["Unreadable answer: {detail*}"] = "无法识别的应答：{detail}",
        ["The platform did not take the command: {detail*}"] = "平台未接受命令：{detail}",
        ["Ok"] = "成功", ["Refused"] = "被拒绝", ["Timeout"] = "超时", ["ConnectFailed"] = "连接失败", ["ConnectionLost"] = "连接中断",
        ["InvalidReply"] = "应答无效", ["on"] = "开", ["off"] = "关",
        ["no reply within the timeout"] = "超时未应答",
        ["peer closed the connection"] = "对方关闭了连接",

        // Device alarms and the switch reconciliation (R16a).
        ["The meter answers again."] = "电表恢复应答。",
        ["Reported open since {total} but the register reads {now}."] = "自读数 {total} 起报告断开，但读数已到 {now}。",
        ["The relay reports closed."] = "继电器报告已闭合。",
        ["{n} polls missed in a row; last: {status} {detail*}"] = "连续 {n} 次抄读失败；最近一次：{status:t} {detail:t}",
        ["{n} polls missed in a row; last: {status}"] = "连续 {n} 次抄读失败；最近一次：{status:t}",
        ["The meter confirms it is tripped."] = "电表确认已拉闸。",
        ["The meter confirms supply is on."] = "电表确认已供电。",
        ["The meter shows the state its account requires, or none is required any more."] = "电表状态已符合账户要求，或已不再有要求。",
        ["The meter no longer belongs to an open account."] = "该电表已不属于未销户的账户。",
        ["The meter has no connection (PUT /api/meters/{id}/connection): nothing can be sent."] = "该电表没有配置连接（PUT /api/meters/{id}/connection）：无法下发命令。",
        ["Unknown profile {profile}."] = "未知型号 {profile}。",
        ["Trip required but cannot be sent: {why*}"] = "需要拉闸但无法下发：{why:t}",
        ["Close required but cannot be sent: {why*}"] = "需要合闸但无法下发：{why:t}",
        ["Trip not confirmed after {n} request(s). Asked again after a back-off while the account is in arrears."] = "拉闸请求 {n} 次后仍未确认。账户欠费期间将退避后再次请求。",
        ["Trip not confirmed after {n} request(s): {error*}. Asked again after a back-off while the account is in arrears."] = "拉闸请求 {n} 次后仍未确认：{error:t}。账户欠费期间将退避后再次请求。",
        ["Close not confirmed after {n} request(s). Asked again after a back-off until supply is back."] = "合闸请求 {n} 次后仍未确认。将退避后再次请求，直到恢复供电。",
        ["Close not confirmed after {n} request(s): {error*}. Asked again after a back-off until supply is back."] = "合闸请求 {n} 次后仍未确认：{error:t}。将退避后再次请求，直到恢复供电。",
        ["while the account is in arrears"] = "账户欠费期间",
        ["until supply is back"] = "直到恢复供电",

        // Commands refused before sending; value pushes; NB-IoT presence.
        ["Profile {profile} has no four tariff price registers."] = "型号 {profile} 没有四个电价寄存器。",
        ["Profile {profile} has no writable alarm or overload limits."] = "型号 {profile} 没有可写的告警或过载限值。",
        ["prices needs sharp, peak, flat and valley, each a price with at most 4 decimals."] = "prices 需要尖、峰、平、谷四个价格，每个最多 4 位小数。",
        ["Name at least one of alarm1, alarm2 (amounts, at most 2 decimals) and overloadLimit (kW, at most 3 decimals)."] =
            "请至少给出 alarm1、alarm2（金额，最多 2 位小数）和 overloadLimit（kW，最多 3 位小数）中的一项。",
        ["{name} must be a non-negative number with at most {n} decimals."] = "{name} 必须是最多 {n} 位小数的非负数。",
        ["Profile {profile} cannot take {names*}; it has no writable tariff or settings registers, so prices are applied by the platform."] =
            "型号 {profile} 不能写入 {names}；它没有可写的电价或参数寄存器，价格由平台计算。",
        ["Profile {profile} cannot take {names*}."] = "型号 {profile} 不能写入 {names}。",
        ["Meter {id} cannot take {kind}: {reason*}"] = "电表 {id} 不能执行{kind:t}：{reason:t}",
        ["Meter {id} ({profile}) cannot take {kind}: {reason*}"] = "电表 {id}（{profile}）不能执行{kind:t}：{reason:t}",
        ["{n} of {count} meters cannot take this command; nothing was sent."] = "{count} 块表中有 {n} 块不能执行此命令；未下发任何命令。",
        ["Minutes between the meter's reports, 1 to 10080 (a week)."] = "电表上报间隔的分钟数，1 至 10080（一周）。",
        ["Only NB-IoT meters report on their own schedule."] = "只有 NB-IoT 电表按自己的周期上报。",
        ["The answer to creating a command is read as result.commandId (or commandId) and commandStatus: not checked against CTWing's documentation."] =
            "创建命令的应答按 result.commandId（或 commandId）和 commandStatus 读取：尚未对照 CTWing 文档核实。",
        ["ttl is sent in hours, as the AEP SDK's example (\"72\") suggests: its unit is not checked against CTWing's documentation."] =
            "ttl 按小时下发（依 AEP SDK 示例 \"72\"）：其单位尚未对照 CTWing 文档核实。",
        ["No report since {at}: {missed} report windows of {period*} missed."] = "自 {at} 起无上报：已错过 {missed} 个上报周期（每周期 {period}）。",
        ["No report since it was connected at {at}: {missed} report windows of {period*} missed."] = "自 {at} 接入以来无上报：已错过 {missed} 个上报周期（每周期 {period}）。",
    };
}
