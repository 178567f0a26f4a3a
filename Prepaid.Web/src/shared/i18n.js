import { createI18n } from 'vue-i18n'

// Simplified Chinese first (the field's language), English second; the choice is kept per browser.
const messages = {
  'zh-CN': {
    app: { title: '预付费能源管理', signOut: '退出', language: '语言' },
    nav: { overview: '总览', meters: '电表', topup: '柜台充值', open: '开户', tariffs: '电价', apportion: '公摊', alarms: '告警', reports: '报表', users: '用户' },
    signIn: { title: '登录', username: '用户名', password: '密码', submit: '登录', phone: '手机号', failed: '登录失败' },
    state: { notOpened: '未开户', normal: '正常', alarm1: '一级告警', alarm2: '二级告警', arrears: '欠费', keepOn: '保电', offline: '离线' },
    common: {
      site: '站点', search: '搜索', all: '全部', total: '合计', save: '保存', cancel: '取消', confirm: '确认', close: '关闭', refresh: '刷新',
      from: '开始', to: '结束', yes: '是', no: '否', loading: '加载中…', none: '暂无数据', print: '打印', next: '下一步', back: '上一步', create: '新建',
    },
    grid: {
      serial: '表号', utility: '类型', tenant: '租户', room: '房间', balance: '余额', state: '状态', relay: '继电器', online: '在线',
      lastReading: '最近读数', lastAt: '读数时间', selected: '已选 {n} 块表', live: '实时', account: '账户',
    },
    utility: { electricity: '电', water: '水', heat: '热' },
    posting: { consumption: '用量扣费', topup: '充值', fee: '服务费', apportionment: '公摊', refund: '退款', refund_returned: '退款退回', adjustment: '调整', payment: '在线支付' },
    batch: {
      action: '批量操作', trip: '拉闸', close: '合闸', keepOn: '保电', restorePrepaid: '恢复预付费', pushTariff: '下发电价', pushSettings: '下发参数', valveOpen: '开阀', valveClose: '关阀',
      confirmTitle: '确认批量操作', confirmText: '对 {n} 块表执行「{action}」？', progress: '进度', outcomes: '各表结果',
      unavailable: '批量命令暂不可用（设备模块未部署）：{msg}',
    },
    account: {
      title: '账户', balance: '余额', state: '状态', meters: '电表', ledger: '流水', consumption: '用量', day: '按日', hour: '按小时',
      kind: '类型', amount: '金额', balanceAfter: '余后', at: '时间', key: '幂等键', quantity: '用量', openedAt: '开户时间', topup: '充值',
    },
    topup: {
      title: '柜台充值', account: '账户号', amount: '金额', channel: '渠道', submit: '充值', receipt: '充值凭证', credited: '到账', fee: '服务费',
      cash: '现金', card: '刷卡', alipay: '支付宝', wechat: '微信支付', bank: '银行转账', done: '充值成功',
    },
    open: {
      title: '开户向导', tenant: '租户', newTenant: '新租户', name: '名称', phone: '手机号', password: '登录密码（可选）', meters: '电表与电价',
      tariff: '电价', opening: '期初读数', thresholds: '告警阈值', alarm1: '一级告警', alarm2: '二级告警', fee: '服务费率', keepOn: '保电',
      confirm: '确认', done: '开户成功：账户 {id}', existing: '已有租户',
    },
    tariff: {
      title: '电价', name: '名称', kind: '类型', flat: '平价', tou: '分时', tiered: '阶梯', price: '单价', catalogPrice: '目录电价',
      sharp: '尖', peak: '峰', flatPeriod: '平', valley: '谷', segments: '时段', effectiveFrom: '生效时间', addSegment: '添加时段', day: '一天的时段',
    },
    apportion: { title: '公摊规则', master: '总表', kind: '类型', method: '方法', shares: '分摊账户', runs: '运行记录', run: '运行', common: '公共', loss: '损耗', result: '结果' },
    alarms: { title: '告警', live: '实时告警', history: '历史（7 天）', kind: '类型', message: '内容' },
    reports: { title: '报表', name: '报表', sales: '售电', consumption: '用量', offline: '离线电表', alarms: '告警历史', commands: '命令日志', run: '查询', excel: '导出 Excel', notAvailable: '暂不可用' },
    users: { title: '用户', username: '用户名', role: '角色', sites: '站点', password: '密码' },
    // The API's names for things, as words (no raw enum value reaches the page).
    relay: { open: '已断开', closed: '已闭合', unknown: '未知' },
    commandState: { requested: '已请求', sent: '已发送', confirmed: '已确认', failed: '失败', expired: '已过期' },
    role: { admin: '管理员', operator: '操作员', cashier: '收银员', auditor: '审计员', tenant: '租户' },
    alarmKind: {
      alarm1: '一级告警', alarm2: '二级告警', arrears: '欠费', offline: '离线', relayFailure: '继电器故障', tripFailed: '拉闸失败', closeFailed: '合闸失败',
      leak: '疑似漏水', circuit: '回路不平衡', overload: '过载', calibrationDue: '待校验', tamper: '防拆告警',
    },
    method: { area: '按面积', equal: '平均分摊', weights: '按权重', consumption: '按用量' },
    reportColumn: {
      at: '时间', site: '站点', accountId: '账户', tenant: '租户', kind: '类型', from: '原状态', balance: '余额', serial: '表号', status: '状态', state: '状态',
      attempts: '尝试次数', completedAt: '完成时间', error: '错误', utility: '能源类型', readings: '读数次数', quantity: '用量', amount: '金额',
      lastReadingAt: '最近读数时间', silentHours: '无数据小时数', day: '日期', channel: '渠道', operator: '操作员', count: '笔数', fee: '服务费', credited: '到账',
    },
    misc: { tenantSignIn: '租户 #{id}', noOperator: '—' },
    tenant: {
      myAccounts: '我的账户', lowBalance: '余额不足，请尽快充值', topup: '充值', topupAmount: '充值金额', payUnavailable: '在线支付暂未开通', ledger: '账单',
    },
  },
  en: {
    app: { title: 'Prepaid energy', signOut: 'Sign out', language: 'Language' },
    nav: { overview: 'Overview', meters: 'Meters', topup: 'Counter top-up', open: 'Open account', tariffs: 'Tariffs', apportion: 'Apportionment', alarms: 'Alarms', reports: 'Reports', users: 'Users' },
    signIn: { title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', phone: 'Phone', failed: 'Sign-in failed' },
    state: { notOpened: 'Not opened', normal: 'Normal', alarm1: 'Alarm 1', alarm2: 'Alarm 2', arrears: 'Arrears', keepOn: 'Keep-on', offline: 'Offline' },
    common: {
      site: 'Site', search: 'Search', all: 'All', total: 'Total', save: 'Save', cancel: 'Cancel', confirm: 'Confirm', close: 'Close', refresh: 'Refresh',
      from: 'From', to: 'To', yes: 'Yes', no: 'No', loading: 'Loading…', none: 'No data', print: 'Print', next: 'Next', back: 'Back', create: 'New',
    },
    grid: {
      serial: 'Serial', utility: 'Utility', tenant: 'Tenant', room: 'Room', balance: 'Balance', state: 'State', relay: 'Relay', online: 'Online',
      lastReading: 'Last reading', lastAt: 'Read at', selected: '{n} meters selected', live: 'Live', account: 'Account',
    },
    utility: { electricity: 'Electricity', water: 'Water', heat: 'Heat' },
    posting: { consumption: 'Consumption', topup: 'Top-up', fee: 'Service fee', apportionment: 'Apportionment', refund: 'Refund', refund_returned: 'Refund returned', adjustment: 'Adjustment', payment: 'Online payment' },
    batch: {
      action: 'Batch action', trip: 'Trip', close: 'Close', keepOn: 'Keep-on', restorePrepaid: 'Restore prepaid', pushTariff: 'Push tariff', pushSettings: 'Push settings', valveOpen: 'Open the valve', valveClose: 'Close the valve',
      confirmTitle: 'Confirm batch', confirmText: 'Send "{action}" to {n} meters?', progress: 'Progress', outcomes: 'Per meter',
      unavailable: 'Batch commands are not available yet (device layer not deployed): {msg}',
    },
    account: {
      title: 'Account', balance: 'Balance', state: 'State', meters: 'Meters', ledger: 'Ledger', consumption: 'Consumption', day: 'Per day', hour: 'Per hour',
      kind: 'Kind', amount: 'Amount', balanceAfter: 'Balance after', at: 'At', key: 'Key', quantity: 'Quantity', openedAt: 'Opened', topup: 'Top up',
    },
    topup: {
      title: 'Counter top-up', account: 'Account', amount: 'Amount', channel: 'Channel', submit: 'Top up', receipt: 'Receipt', credited: 'Credited', fee: 'Fee',
      cash: 'Cash', card: 'Bank card', alipay: 'Alipay', wechat: 'WeChat Pay', bank: 'Bank transfer', done: 'Topped up',
    },
    open: {
      title: 'Open an account', tenant: 'Tenant', newTenant: 'New tenant', name: 'Name', phone: 'Phone', password: 'Sign-in password (optional)', meters: 'Meters and tariffs',
      tariff: 'Tariff', opening: 'Opening reading', thresholds: 'Alarm thresholds', alarm1: 'Alarm 1', alarm2: 'Alarm 2', fee: 'Service fee rate', keepOn: 'Keep-on',
      confirm: 'Confirm', done: 'Account {id} opened', existing: 'Existing tenant',
    },
    tariff: {
      title: 'Tariffs', name: 'Name', kind: 'Kind', flat: 'Flat', tou: 'Time of use', tiered: 'Tiered', price: 'Price', catalogPrice: 'Catalogue price',
      sharp: 'Sharp', peak: 'Peak', flatPeriod: 'Flat', valley: 'Valley', segments: 'Segments', effectiveFrom: 'Effective from', addSegment: 'Add segment', day: 'The day',
    },
    apportion: { title: 'Apportionment rules', master: 'Master meter', kind: 'Kind', method: 'Method', shares: 'Shares', runs: 'Runs', run: 'Run', common: 'Common', loss: 'Loss', result: 'Result' },
    alarms: { title: 'Alarms', live: 'Live', history: 'History (7 days)', kind: 'Kind', message: 'Message' },
    reports: { title: 'Reports', name: 'Report', sales: 'Sales', consumption: 'Consumption', offline: 'Offline meters', alarms: 'Alarm history', commands: 'Command log', run: 'Run', excel: 'Download Excel', notAvailable: 'Not available' },
    users: { title: 'Users', username: 'Username', role: 'Role', sites: 'Sites', password: 'Password' },
    relay: { open: 'Open (tripped)', closed: 'Closed', unknown: 'Unknown' },
    commandState: { requested: 'Requested', sent: 'Sent', confirmed: 'Confirmed', failed: 'Failed', expired: 'Expired' },
    role: { admin: 'Admin', operator: 'Operator', cashier: 'Cashier', auditor: 'Auditor', tenant: 'Tenant' },
    alarmKind: {
      alarm1: 'Alarm 1', alarm2: 'Alarm 2', arrears: 'Arrears', offline: 'Offline', relayFailure: 'Relay failure', tripFailed: 'Trip failed', closeFailed: 'Close failed',
      leak: 'Possible leak', circuit: 'Circuit imbalance', overload: 'Overload', calibrationDue: 'Calibration due', tamper: 'Tamper',
    },
    method: { area: 'By floor area', equal: 'Equal shares', weights: 'By weights', consumption: 'By consumption' },
    reportColumn: {
      at: 'Time', site: 'Site', accountId: 'Account', tenant: 'Tenant', kind: 'Kind', from: 'Previous state', balance: 'Balance', serial: 'Serial', status: 'Status', state: 'State',
      attempts: 'Attempts', completedAt: 'Completed at', error: 'Error', utility: 'Utility', readings: 'Readings', quantity: 'Quantity', amount: 'Amount',
      lastReadingAt: 'Last reading at', silentHours: 'Hours silent', day: 'Day', channel: 'Channel', operator: 'Operator', count: 'Count', fee: 'Fee', credited: 'Credited',
    },
    misc: { tenantSignIn: 'Tenant #{id}', noOperator: '—' },
    tenant: {
      myAccounts: 'My accounts', lowBalance: 'Low balance: please top up soon', topup: 'Top up', topupAmount: 'Amount', payUnavailable: 'Online payment is not available yet', ledger: 'Statement',
    },
  },
}

export const i18n = createI18n({
  legacy: false,
  locale: localStorage.getItem('prepaid.locale') || 'zh-CN',
  fallbackLocale: 'en',
  messages,
  // A key missing in the page's language is an error on the console (the browser tests fail on it), never a quiet fallback.
  missingWarn: false,
  fallbackWarn: false,
  missing: (locale, key) => { console.error(`[i18n] ${locale} has no message "${key}"`) },
})
// The page says which language it is in from the start (screen readers, fonts, hyphenation), not only after a switch.
document.documentElement.lang = i18n.global.locale.value

/** The API's name for a thing (a relay state, a role, a report value) as a word, or the name itself if no word exists. */
export function word(group, value) {
  return value == null || value === '' ? '' : i18n.global.t(`${group}.${value}`)
}

export function setLocale(locale) {
  i18n.global.locale.value = locale
  localStorage.setItem('prepaid.locale', locale)
  document.documentElement.lang = locale
  window.dispatchEvent(new CustomEvent('prepaid:locale', { detail: locale }))
}
