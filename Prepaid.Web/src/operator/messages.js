// The operator dashboard's labels, merged into the shared i18n messages at start (main.js). Every label in both
// languages; no code the API sends (states, kinds, channels, roles, methods) is ever shown as it comes.
export const operatorMessages = {
  'zh-CN': {
    app: { nav: '主导航', skip: '跳到正文', noSite: '您还没有可管理的站点' },
    nav: { reconciliation: '对账' },
    role: { admin: '管理员', operator: '操作员', cashier: '收银员', auditor: '审计员', tenant: '租户' },
    common: { remove: '移除' },
    channel: { cash: '现金', card: '刷卡', bank: '银行转账', alipay: '支付宝', wechat: '微信支付' },
    relay: { open: '已拉闸', closed: '已合闸', unknown: '未知' },
    command: {
      trip: '拉闸', close: '合闸', keepOn: '保电', restorePrepaid: '恢复预付费', valveOpen: '开阀', valveClose: '关阀',
      pushTariff: '下发电价', pushSettings: '下发参数', kind: '命令', source: '来源', detail: '说明',
    },
    commandState: { requested: '已请求', sent: '已发送', confirmed: '已确认', failed: '失败', expired: '已过期' },
    commandSource: { engine: '自动', operator: '人工', batch: '批量' },
    readingStatus: { baseline: '基准', billed: '已计费', late: '迟到', suspect: '待审核', queued: '排队', rejected: '拒收', duplicate: '重复' },
    posting: { refund_paid: '退款完成', refund_returned: '退款退回', charge: '固定费用', deposit: '押金', reestimate: '估读调整', other: '其他' },
    alarmKind: {
      offline: '离线', relayFailure: '继电器故障', tripFailed: '拉闸失败', closeFailed: '合闸失败', leak: '漏水', circuit: '回路不平衡',
      calibrationDue: '待校验', alarm1: '一级告警', alarm2: '二级告警', arrears: '欠费', other: '其他告警',
    },
    orderState: { pending: '待支付', paid: '已支付', closed: '已关闭', expired: '已过期' },
    refundState: { pending: '处理中', succeeded: '已退款', failed: '失败' },
    channelTrade: {
      TRADE_SUCCESS: '支付成功', TRADE_FINISHED: '交易完结', TRADE_CLOSED: '交易关闭', WAIT_BUYER_PAY: '等待付款',
      SUCCESS: '支付成功', REFUND: '转入退款', NOTPAY: '未支付', CLOSED: '已关闭', USERPAYING: '用户支付中', PAYERROR: '支付失败', unknown: '未知',
    },
    grid: {
      cutAt: '待拉闸 {at}', isOnline: '在线', isOffline: '离线', pendingOnly: '只看待拉闸', selectAll: '全选', selectOne: '选择 {serial}',
    },
    overview: {
      quick: '快捷入口', sell: '售电', open: '开户', batch: '批量操作', reports: '报表', topUpsToday: '今日售电', consumptionToday: '今日用量',
      count: '{n} 笔', pendingTrips: '待拉闸', failedCommands: '失败命令（24 小时）', offlineMeters: '离线电表', openAlarms: '未处理告警',
      trend: '售电与用量趋势', days: '{n} 天', sales: '售电', consumption: '用电扣费', states: '电表状态', trendLabel: '最近 {n} 天的售电与用量',
    },
    meter: {
      title: '电表', register: '登记电表', multiplier: '倍率', registerMax: '满量程', connection: '通讯', via: '网关 / 总线', noConnection: '未接入',
      address: '通讯地址', profile: '表型', createdConnectionPending: '电表 {serial} 已登记，通讯设置未保存：请修正后再保存',
      readings: '原始读数', total: '总读数', status: '状态', reason: '说明', exportCsv: '导出 CSV', exportRange: '导出日期',
      commands: '命令记录', confirmCommand: '对 {serial} 执行「{action}」？', commandSent: '已下发「{action}」：{state}',
    },
    push: { hint: '参数写入表内，表端按此告警；平台的阈值不变。', none: '该表型不支持下发参数', send: '下发' },
    account: {
      payments: '在线支付与退款', pendingTrip: '余额已欠费，处于免断电时段：将于 {at}（{when}）拉闸', closed: '账户已于 {at} 销户',
    },
    edit: {
      title: '修改阈值与电价', overdraft: '透支额度', reconnect: '复电阈值', keepOnHint: '保电时欠费也不拉闸',
      tariffRule: '新电价自该表最近一次计费读数起生效：下一次读数的用量全部按新电价计费，已计费的读数不重新计价。', saved: '已保存',
    },
    refund: {
      title: '退款', order: '支付订单', amount: '退款金额', reason: '原因', submit: '退款', upTo: '最多 ¥{amount}', noOrders: '该账户没有可退款的在线支付',
      result: '退款 ¥{amount}：{state}', refunded: '已退', list: '退款记录', number: '退款单号',
    },
    open: {
      tenantId: '租户编号', pickMeter: '选择未开户的电表', noFreeMeter: '没有未开户的电表：请先登记电表', noMeterYet: '尚未选择电表', removeMeter: '移除 {serial}',
    },
    tariff: { removeSegment: '移除时段 {from}–{to}' },
    apportion: {
      newRule: '新建公摊规则', none: '暂无公摊规则', noRuns: '尚未运行', period: '公摊期间', periodHint: '按站点时区的整日计算，期间须已结束。',
      quantity: '分摊量', total: '分摊金额', cost: '精确金额', masterQuantity: '总表用量', weight: '权重', alreadyRun: '该期间已运行过：以下为首次结果，未重复扣费',
      negativeLoss: '损耗为负（{quantity}）：分表用量大于总表，未分摊', method_area: '按面积', method_equal: '平均', method_weights: '按权重', method_consumption: '按用量',
    },
    reconciliation: {
      title: '支付对账', day: '对账日（北京时间）', show: '查看', run: '立即对账', none: '该日尚未对账', orders: '订单数', differences: '差异',
      clean: '没有差异', kind: '差异类型', orderState: '订单状态', orderAmount: '订单金额', channelState: '渠道状态', channelAmount: '渠道金额',
      hint: '逐笔向渠道查询当日订单并与账本核对，列出未到账、未支付、金额不符及待确认的退款。',
      kind_paid_not_credited: '已付款未入账', kind_credited_not_paid: '已入账未付款', kind_amount_mismatch: '金额不符', kind_query_failed: '查询失败',
      kind_refund_pending: '退款待确认',
    },
    reports: {
      period: '报表期间', col_day: '日期', col_site: '站点', col_channel: '渠道', col_operator: '操作员', col_count: '笔数', col_amount: '金额', col_fee: '服务费',
      col_credited: '到账', col_serial: '表号', col_utility: '类型', col_tenant: '租户', col_accountId: '账户', col_readings: '读数次数', col_quantity: '用量',
      col_lastReadingAt: '最近读数', col_silentHours: '静默小时', col_at: '时间', col_kind: '类型', col_from: '原状态', col_balance: '余额', col_status: '状态',
      col_attempts: '尝试次数', col_completedAt: '完成时间', col_error: '错误',
    },
    alarms: { open: '未处理的设备告警', raisedAt: '发生时间' },
    users: {
      status: '状态', enabled: '启用', disabled: '停用', edit: '编辑', reset: '重置密码', resetConfirm: '为 {name} 生成新密码？其所有会话将结束。',
      temporary: '{name} 的临时密码（只显示一次）：', endsSessions: '保存后该用户的所有会话将结束，需要重新登录。', tenantOf: '租户 #{id}',
    },
    password: {
      title: '修改密码', current: '当前密码', new: '新密码', repeat: '再次输入', submit: '修改', done: '密码已修改；其他设备上的登录已结束。',
      mismatch: '两次输入的新密码不一致',
    },
    forbidden: { title: '无权访问', text: '您的角色不能打开此页面。', home: '返回总览' },
  },
  en: {
    app: { nav: 'Main navigation', skip: 'Skip to content', noSite: 'You have no site to work on yet' },
    nav: { reconciliation: 'Reconciliation' },
    role: { admin: 'Admin', operator: 'Operator', cashier: 'Cashier', auditor: 'Auditor', tenant: 'Tenant' },
    common: { remove: 'Remove' },
    channel: { cash: 'Cash', card: 'Bank card', bank: 'Bank transfer', alipay: 'Alipay', wechat: 'WeChat Pay' },
    relay: { open: 'Tripped', closed: 'Closed', unknown: 'Unknown' },
    command: {
      trip: 'Trip', close: 'Close', keepOn: 'Keep-on', restorePrepaid: 'Restore prepaid', valveOpen: 'Open valve', valveClose: 'Close valve',
      pushTariff: 'Push tariff', pushSettings: 'Push settings', kind: 'Command', source: 'Source', detail: 'Detail',
    },
    commandState: { requested: 'Requested', sent: 'Sent', confirmed: 'Confirmed', failed: 'Failed', expired: 'Expired' },
    commandSource: { engine: 'Automatic', operator: 'Operator', batch: 'Batch' },
    readingStatus: { baseline: 'Baseline', billed: 'Billed', late: 'Late', suspect: 'Held', queued: 'Queued', rejected: 'Rejected', duplicate: 'Duplicate' },
    posting: { refund_paid: 'Refund paid', refund_returned: 'Refund returned', charge: 'Recurring charge', deposit: 'Deposit', reestimate: 'Re-estimate', other: 'Other' },
    alarmKind: {
      offline: 'Offline', relayFailure: 'Relay failure', tripFailed: 'Trip failed', closeFailed: 'Close failed', leak: 'Leak', circuit: 'Circuit imbalance',
      calibrationDue: 'Calibration due', alarm1: 'Alarm 1', alarm2: 'Alarm 2', arrears: 'Arrears', other: 'Other alarm',
    },
    orderState: { pending: 'Pending', paid: 'Paid', closed: 'Closed', expired: 'Expired' },
    refundState: { pending: 'In progress', succeeded: 'Refunded', failed: 'Failed' },
    channelTrade: {
      TRADE_SUCCESS: 'Paid', TRADE_FINISHED: 'Finished', TRADE_CLOSED: 'Closed', WAIT_BUYER_PAY: 'Awaiting payment',
      SUCCESS: 'Paid', REFUND: 'Refunding', NOTPAY: 'Not paid', CLOSED: 'Closed', USERPAYING: 'Paying', PAYERROR: 'Payment failed', unknown: 'Unknown',
    },
    grid: {
      cutAt: 'Trip at {at}', isOnline: 'Online', isOffline: 'Offline', pendingOnly: 'Pending trips only', selectAll: 'Select all', selectOne: 'Select {serial}',
    },
    overview: {
      quick: 'Quick entries', sell: 'Sell', open: 'Open account', batch: 'Batch operations', reports: 'Reports', topUpsToday: "Today's top-ups",
      consumptionToday: "Today's consumption", count: '{n} ×', pendingTrips: 'Pending trips', failedCommands: 'Failed commands (24 h)', offlineMeters: 'Offline meters',
      openAlarms: 'Open alarms', trend: 'Sales and consumption', days: '{n} days', sales: 'Top-ups', consumption: 'Consumption billed', states: 'Meters by state',
      trendLabel: 'Top-ups and consumption of the last {n} days',
    },
    meter: {
      title: 'Meter', register: 'Register meter', multiplier: 'Multiplier', registerMax: 'Register max', connection: 'Connection', via: 'Gateway / bus',
      noConnection: 'Not connected', address: 'Address', profile: 'Profile', createdConnectionPending: 'Meter {serial} is registered; its connection was not saved: correct it and save again',
      readings: 'Raw readings', total: 'Total', status: 'Status', reason: 'Reason', exportCsv: 'Export CSV', exportRange: 'Export dates',
      commands: 'Commands', confirmCommand: 'Send "{action}" to {serial}?', commandSent: '"{action}" sent: {state}',
    },
    push: { hint: 'The values are written into the meter, which alarms by them; the platform\'s thresholds stay as they are.', none: 'This meter profile takes no settings', send: 'Send' },
    account: {
      payments: 'Online payments and refunds', pendingTrip: 'In arrears during the friendly window: the supply will be cut at {at} ({when})',
      closed: 'The account was closed on {at}',
    },
    edit: {
      title: 'Thresholds and tariff', overdraft: 'Overdraft', reconnect: 'Reconnect threshold', keepOnHint: 'Keep-on never trips, even in arrears',
      tariffRule: "A new tariff applies from the meter's last billed reading: the next reading's consumption is priced wholly on it; readings billed before are not priced again.",
      saved: 'Saved',
    },
    refund: {
      title: 'Refund', order: 'Payment order', amount: 'Refund amount', reason: 'Reason', submit: 'Refund', upTo: 'up to ¥{amount}',
      noOrders: 'This account has no online payment left to refund', result: 'Refund of ¥{amount}: {state}', refunded: 'Refunded', list: 'Refunds', number: 'Refund number',
    },
    open: {
      tenantId: 'Tenant number', pickMeter: 'Pick a meter without an account', noFreeMeter: 'No meter without an account: register one first', noMeterYet: 'No meter chosen yet',
      removeMeter: 'Remove {serial}',
    },
    tariff: { removeSegment: 'Remove segment {from}–{to}' },
    apportion: {
      newRule: 'New apportionment rule', none: 'No apportionment rule yet', noRuns: 'Not run yet', period: 'Period',
      periodHint: "Whole days in the site's zone; the period must have ended.", quantity: 'Quantity', total: 'Apportioned', cost: 'Exact cost',
      masterQuantity: 'Master meter quantity', weight: 'Weight', alreadyRun: 'This period was run before: these are the first results, nothing was debited again',
      negativeLoss: 'Negative loss ({quantity}): the sub-meters used more than the master meter; nothing was apportioned', method_area: 'By floor area',
      method_equal: 'Equal shares', method_weights: 'By weights', method_consumption: 'By consumption',
    },
    reconciliation: {
      title: 'Payment reconciliation', day: 'Day (China time)', show: 'Show', run: 'Reconcile now', none: 'This day has not been reconciled yet', orders: 'Orders',
      differences: 'Differences', clean: 'No differences', kind: 'Difference', orderState: 'Order', orderAmount: 'Order amount', channelState: 'At the channel',
      channelAmount: 'Channel amount', hint: "Each of the day's orders is asked about at the channel and set against the ledger: paid but not credited, credited but not paid, amounts that differ, refunds not yet confirmed.",
      kind_paid_not_credited: 'Paid, not credited', kind_credited_not_paid: 'Credited, not paid', kind_amount_mismatch: 'Amount differs', kind_query_failed: 'Query failed',
      kind_refund_pending: 'Refund not confirmed',
    },
    reports: {
      period: 'Report period', col_day: 'Day', col_site: 'Site', col_channel: 'Channel', col_operator: 'Operator', col_count: 'Count', col_amount: 'Amount',
      col_fee: 'Fee', col_credited: 'Credited', col_serial: 'Serial', col_utility: 'Utility', col_tenant: 'Tenant', col_accountId: 'Account', col_readings: 'Readings',
      col_quantity: 'Quantity', col_lastReadingAt: 'Last reading', col_silentHours: 'Silent hours', col_at: 'At', col_kind: 'Kind', col_from: 'From', col_balance: 'Balance',
      col_status: 'Status', col_attempts: 'Attempts', col_completedAt: 'Completed', col_error: 'Error',
    },
    alarms: { open: 'Open device alarms', raisedAt: 'Raised' },
    users: {
      status: 'Status', enabled: 'Enabled', disabled: 'Disabled', edit: 'Edit', reset: 'Reset password', resetConfirm: 'Give {name} a new password? All their sessions end.',
      temporary: 'Temporary password of {name} (shown once):', endsSessions: "Saving ends all of this user's sessions; they sign in again.", tenantOf: 'tenant #{id}',
    },
    password: {
      title: 'Change password', current: 'Current password', new: 'New password', repeat: 'New password again', submit: 'Change',
      done: 'Password changed; sign-ins on other devices have ended.', mismatch: 'The two new passwords differ',
    },
    forbidden: { title: 'Not allowed', text: 'Your role cannot open this page.', home: 'Back to the overview' },
  },
}
