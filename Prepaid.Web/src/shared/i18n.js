import { createI18n } from 'vue-i18n'
import { tenancyMessages } from './i18n.tenancy.js'

// Simplified Chinese first (the field's language), English second; the choice is kept per browser.
const messages = {
  'zh-CN': {
    app: { title: '预付费能源管理', signOut: '退出', language: '语言' },
    nav: { import: '导入读数', overview: '总览', meters: '电表', topup: '柜台充值', open: '开户', tariffs: '电价', apportion: '公摊', alarms: '告警', reports: '报表', users: '用户' },
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
    posting: { reestimate: '估算差额', consumption: '用量扣费', topup: '充值', fee: '服务费', apportionment: '公摊', heat: '热量分摊', compensation: '差额分摊', refund: '退款', adjustment: '调整', payment: '在线支付' },
    batch: {
      action: '批量操作', trip: '拉闸', close: '合闸', keepOn: '保电', restorePrepaid: '恢复预付费', pushTariff: '下发电价',
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
    tenant: {
      myAccounts: '我的账户', lowBalance: '余额不足，请尽快充值', topup: '充值', topupAmount: '充值金额', payUnavailable: '在线支付暂未开通', ledger: '账单',
    },
    meter: {
      title: '电表', readings: '读数', manual: '手工抄表', estimate: '估算', journal: '维护记录', limits: '限值', overloadLimit: '过载限值 (kW)',
      save: '保存', saved: '已保存', noLimit: '未设置', account: '账户', open: '查看', unconnected: '该表未接入通讯，可手工抄表',
      at: '抄表时间（站点时间）', total: '总读数', periods: '分时读数', power: '功率 (kW)', submit: '提交读数', outcome: '结果',
      estimateDay: '估算日期', estimateRun: '按规则估算', estimated: '估算', superseded: '已被实抄取代', noEstimate: '无法估算',
      enteredBy: '录入人', enteredAt: '录入时间', source: '来源', status: '状态', amount: '金额', quantity: '用量', reason: '说明',
      register: '读数', moreAtOnce: '显示最近 100 条',
    },
    source: { meter: '表计上报', manual: '手工录入', import: '文件导入', estimate: '估算' },
    readingStatus: {
      billed: '已计费', baseline: '基准', duplicate: '重复', late: '迟到', suspect: '可疑待审', queued: '排队', rejected: '已拒绝', superseded: '已取代', none: '未估算',
    },
    import: {
      title: '导入读数', pick: '选择文件', drop: '将 .xlsx 或 .csv 文件拖到此处，或点击选择', columns: '列：', hint: '（最多 10000 行；时间可带时区，或按站点时间填写）',
      run: '导入', row: '行', serial: '表号', at: '时间', total: '总读数', status: '结果', amount: '金额', reason: '原因', download: '下载结果 (Excel)',
      summary: '共 {rows} 行', none: '请先选择文件',
    },
    journal: {
      kind: '类型', day: '日期', note: '备注', nextDueDay: '下次检定日期', enteredBy: '记录人', add: '添加记录', export: '导出 Excel',
      installation: '安装', calibration: '检定/校准', repair: '维修', replacement: '更换', other: '其他',
    },
    alarmKind: {
      offline: '离线', relayFailure: '继电器故障', tripFailed: '拉闸失败', closeFailed: '合闸失败', overload: '过载', calibrationDue: '检定到期',
      leak: '漏水', circuit: '线路不平衡', alarm1: '一级告警', alarm2: '二级告警', arrears: '欠费',
    },
    alarmList: { title: '全部表计告警', kinds: '类型', openOnly: '仅未解除', raisedAt: '发生时间', clearedAt: '解除时间', meter: '表号', detail: '详情', open: '未解除' },
    chart: { noData: '无数据', estimated: '含估算', legend: '斜线柱含估算值；空缺表示无数据（不是零）' },
    // The tenant's phone page (src/tenant).
    phone: {
      switchTo: 'English', switchLabel: '切换为英文', account: '账户 {id}', balance: '当前余额',
      accounts: '我的账户', topup: '充值', topupTitle: '账户 {id} 充值', amount: '充值金额（元）', presets: '常用金额', channel: '支付方式',
      alipay: '支付宝', wechat: '微信支付', pay: '去支付 ¥{amount}', cancel: '取消',
      amountInvalid: '请输入 0.01 至 1,000,000.00 之间的金额，最多两位小数',
      redirecting: '正在前往{channel}…', confirming: '正在确认支付结果…', paid: '充值成功：¥{amount} 已支付', notPaid: '暂未收到支付结果，稍后可在充值记录中查看',
      receipt: '支付凭证', receiptOrder: '订单号', receiptTime: '支付时间', receiptChannel: '支付方式', close: '完成',
      supplyCutAt: '账户已欠费，将于 {time} 停止供电，请尽快充值',
      supplyCut: '已停止供电，充值后自动恢复', lowBalance: '余额不足，请尽快充值',
      sections: '账户详情', statement: '账单', payments: '充值记录', usage: '用量',
      byDay: '按日', byMonth: '按月', opening: '期初余额', closing: '期末余额', noLines: '本期没有账目',
      download: '下载对账单', thisMonth: '本月', thisQuarter: '本季度', thisYear: '本年', downloadFailed: '下载失败：{error}',
      readings: '读数 {from} → {to}', readingCount: '{n} 次抄表', noReading: '本期没有读数',
      cost: '计价 ¥{cost}，扣费 ¥{posted}', unitPrice: '单价', tier: '第{n}档（{period}）',
      topupLine: '支付 ¥{paid}，服务费 ¥{fee}，到账 ¥{credited}', topupCount: '{n} 笔充值',
      apportionLine: '规则 {rule}（{method}），{from} 至 {to}：共 {quantity}，合计 ¥{total}；本户权重 {weight}/{weights}（{share}%）',
      refundLine: '退款 {no} 退回{channel}（{state}）', refundReturned: '退款 {no} 未成功，金额已退回余额', other: '其他',
      noPayments: '暂无充值记录', loading: '加载中…',
      estimated: '含估算读数',
      kind: {
        reestimate: '估算差额', consumption: '用电用水', topup: '充值', apportionment: '公摊', heat: '热量分摊', refund: '退款', refund_returned: '退款退回', adjustment: '调整',
        rent: '房租', property_fee: '物业费', service_fee: '服务费', reading_fee: '抄表费', other_charge: '其他费用', deposit_return: '押金退还', cash_out: '现金退款', debt: '转为欠款',
      },
      chargeLine: '{name} {period}：每期 ¥{perPeriod} × {days}/{periodDays} 天',
      readingFeeLine: '{name} {period}：每年 ¥{perPeriod} × 使用 {months}/{periodMonths} 个月',
      heatPeriod: '{from} 至 {to} 全楼热量 {quantity} GJ，费用 ¥{cost}',
      heat3EG: '3EG：面积 {area} m²，分配表 {units} 单位，按读数分摊比例 {ur}',
      heat2EG: '2EG：面积 {area} m²，无分配表，修正系数 {k}',
      heatShare: '本户热量 {quantity} GJ，金额 ¥{amount}',
      compensationLine: '{utility} {from} 至 {to}：供应商账单 ¥{bill}，租户合计已计费 ¥{charged}；本户已计费 ¥{mine}，分摊差额 ¥{amount}',
      apportionKind: { common: '公共区域分摊', loss: '损耗分摊' },
      method: { area: '按面积', equal: '平均分摊', weights: '按权重', consumption: '按用量' },
      refundState: { pending: '处理中', succeeded: '已退款', failed: '失败' },
      orderState: { pending: '待支付', paid: '已支付', closed: '已关闭', expired: '已过期' },
      period: { sharp: '尖', peak: '峰', flat: '平', valley: '谷' },
    },
    // Problems from the API, by status and field, so no English server message shows in the Chinese page.
    errors: {
      network: '网络连接失败，请稍后重试', notFound: '没有找到该账户', generic: '操作失败，请稍后重试', signIn: '手机号或密码不正确',
      channel: '支付渠道暂时不可用，请稍后重试或换一种支付方式', closed: '该账户已销户，不能充值', signedOut: '登录已过期，请重新登录',
      field: {
        amount: '金额不正确：请输入 0.01 至 1,000,000.00 之间、最多两位小数的金额', channel: '请选择支付宝或微信支付', method: '该支付方式暂不可用',
        returnUrl: '返回地址无效', openId: '需要在微信中打开才能使用微信内支付', from: '开始日期不正确', to: '结束日期不正确', group: '分组方式不正确',
        username: '请输入手机号', password: '请输入密码',
      },
    },
  },
  en: {
    app: { title: 'Prepaid energy', signOut: 'Sign out', language: 'Language' },
    nav: { import: 'Import readings', overview: 'Overview', meters: 'Meters', topup: 'Counter top-up', open: 'Open account', tariffs: 'Tariffs', apportion: 'Apportionment', alarms: 'Alarms', reports: 'Reports', users: 'Users' },
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
    posting: { reestimate: 'Estimate correction', consumption: 'Consumption', topup: 'Top-up', fee: 'Service fee', apportionment: 'Apportionment', heat: 'Heat allocation', compensation: 'Compensation share', refund: 'Refund', adjustment: 'Adjustment', payment: 'Online payment' },
    batch: {
      action: 'Batch action', trip: 'Trip', close: 'Close', keepOn: 'Keep-on', restorePrepaid: 'Restore prepaid', pushTariff: 'Push tariff',
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
    tenant: {
      myAccounts: 'My accounts', lowBalance: 'Low balance: please top up soon', topup: 'Top up', topupAmount: 'Amount', payUnavailable: 'Online payment is not available yet', ledger: 'Statement',
    },
    meter: {
      title: 'Meter', readings: 'Readings', manual: 'Manual reading', estimate: 'Estimate', journal: 'Service journal', limits: 'Limits', overloadLimit: 'Overload limit (kW)',
      save: 'Save', saved: 'Saved', noLimit: 'Not set', account: 'Account', open: 'Open', unconnected: 'This meter has no communication link: read it by hand',
      at: 'Read at (site time)', total: 'Total register', periods: 'Period registers', power: 'Power (kW)', submit: 'Submit reading', outcome: 'Outcome',
      estimateDay: 'Day to estimate', estimateRun: 'Estimate by the rule', estimated: 'Estimated', superseded: 'Superseded by a real reading', noEstimate: 'No estimate',
      enteredBy: 'Entered by', enteredAt: 'Entered at', source: 'Source', status: 'Status', amount: 'Amount', quantity: 'Quantity', reason: 'Note',
      register: 'Register', moreAtOnce: 'The latest 100',
    },
    source: { meter: 'Meter', manual: 'Entered by hand', import: 'Imported', estimate: 'Estimate' },
    readingStatus: {
      billed: 'Billed', baseline: 'Baseline', duplicate: 'Duplicate', late: 'Late', suspect: 'Suspect (held)', queued: 'Queued', rejected: 'Rejected', superseded: 'Superseded', none: 'Not estimated',
    },
    import: {
      title: 'Import readings', pick: 'Choose a file', drop: 'Drop an .xlsx or .csv file here, or click to choose', columns: 'Columns: ', hint: ' (at most 10,000 rows; times with an offset, or on the site\'s clock)',
      run: 'Import', row: 'Row', serial: 'Serial', at: 'At', total: 'Total', status: 'Outcome', amount: 'Amount', reason: 'Reason', download: 'Download the outcome (Excel)',
      summary: '{rows} rows', none: 'Choose a file first',
    },
    journal: {
      kind: 'Kind', day: 'Day', note: 'Note', nextDueDay: 'Next calibration due', enteredBy: 'Entered by', add: 'Add entry', export: 'Export Excel',
      installation: 'Installation', calibration: 'Verification / calibration', repair: 'Repair', replacement: 'Replacement', other: 'Other',
    },
    alarmKind: {
      offline: 'Offline', relayFailure: 'Relay failure', tripFailed: 'Trip failed', closeFailed: 'Close failed', overload: 'Overload', calibrationDue: 'Calibration due',
      leak: 'Leak', circuit: 'Circuit imbalance', alarm1: 'Alarm 1', alarm2: 'Alarm 2', arrears: 'Arrears',
    },
    alarmList: { title: 'Every meter alarm', kinds: 'Kinds', openOnly: 'Open only', raisedAt: 'Raised', clearedAt: 'Cleared', meter: 'Meter', detail: 'Detail', open: 'Open' },
    chart: { noData: 'No data', estimated: 'includes estimates', legend: 'Hatched bars include estimates; a gap means no data (not zero)' },
    phone: {
      switchTo: '中文', switchLabel: 'Switch to Chinese', account: 'Account {id}', balance: 'Balance',
      accounts: 'My accounts', topup: 'Top up', topupTitle: 'Top up account {id}', amount: 'Amount (CNY)', presets: 'Quick amounts', channel: 'Pay with',
      alipay: 'Alipay', wechat: 'WeChat Pay', pay: 'Pay ¥{amount}', cancel: 'Cancel',
      amountInvalid: 'Enter an amount from 0.01 to 1,000,000.00 with at most two decimals',
      redirecting: 'Opening {channel}…', confirming: 'Confirming your payment…', paid: 'Paid: ¥{amount}', notPaid: 'No payment result yet: see your payment history later',
      receipt: 'Payment receipt', receiptOrder: 'Order', receiptTime: 'Paid at', receiptChannel: 'Paid with', close: 'Done',
      supplyCutAt: 'Your account is in arrears: supply will be cut at {time}. Please top up.',
      supplyCut: 'Supply is cut; it comes back once you top up.', lowBalance: 'Low balance: please top up soon',
      sections: 'Account details', statement: 'Statement', payments: 'Payments', usage: 'Usage',
      byDay: 'By day', byMonth: 'By month', opening: 'Opening balance', closing: 'Closing balance', noLines: 'Nothing in this period',
      download: 'Download a statement', thisMonth: 'This month', thisQuarter: 'This quarter', thisYear: 'This year', downloadFailed: 'Download failed: {error}',
      readings: 'Meter {from} → {to}', readingCount: 'no readings | {n} reading | {n} readings', noReading: 'No reading in this period',
      cost: 'Priced ¥{cost}, charged ¥{posted}', unitPrice: 'Unit price', tier: 'Tier {n} ({period})',
      topupLine: 'Paid ¥{paid}, service fee ¥{fee}, credited ¥{credited}', topupCount: '{n} top-ups',
      apportionLine: 'Rule {rule} ({method}), {from} to {to}: {quantity} in all, ¥{total}; this account {weight}/{weights} ({share}%)',
      refundLine: 'Refund {no} back to {channel} ({state})', refundReturned: 'Refund {no} failed: the amount is back in the wallet', other: 'Other',
      noPayments: 'No payments yet', loading: 'Loading…',
      estimated: 'includes estimated readings',
      kind: {
        reestimate: 'Estimate correction', consumption: 'Consumption', topup: 'Top-up', apportionment: 'Shared cost', heat: 'Heat allocation', refund: 'Refund', refund_returned: 'Refund returned', adjustment: 'Adjustment',
        rent: 'Rent', property_fee: 'Property fee', service_fee: 'Service fee', reading_fee: 'Reading fee', other_charge: 'Other charge', deposit_return: 'Deposit returned',
        cash_out: 'Cash refund', debt: 'Carried as debt',
      },
      chargeLine: '{name} {period}: ¥{perPeriod} per period × {days}/{periodDays} days',
      readingFeeLine: '{name} {period}: ¥{perPeriod} a year × {months}/{periodMonths} months of service',
      heatPeriod: '{from} to {to}: the building\'s {quantity} GJ cost ¥{cost}',
      heat3EG: '3EG: area {area} m², {units} allocator units, Ur {ur}',
      heat2EG: '2EG: area {area} m², no allocators, correction factor {k}',
      heatShare: 'This flat: {quantity} GJ, ¥{amount}',
      compensationLine: '{utility} {from} to {to}: the utility billed ¥{bill}, tenants were charged ¥{charged}; this account ¥{mine}, its share of the difference ¥{amount}',
      apportionKind: { common: 'Common-area share', loss: 'Loss share' },
      method: { area: 'by floor area', equal: 'equal shares', weights: 'by weights', consumption: 'by consumption' },
      refundState: { pending: 'pending', succeeded: 'refunded', failed: 'failed' },
      orderState: { pending: 'Waiting for payment', paid: 'Paid', closed: 'Closed', expired: 'Expired' },
      period: { sharp: 'Sharp', peak: 'Peak', flat: 'Flat', valley: 'Valley' },
    },
    errors: {
      network: 'Network error: please try again', notFound: 'Account not found', generic: 'Something went wrong: please try again', signIn: 'Wrong phone number or password',
      channel: 'The payment channel is not available right now: try again later or pay another way', closed: 'This account is closed', signedOut: 'Your session ended: please sign in again',
      field: {
        amount: 'Enter an amount from 0.01 to 1,000,000.00 with at most two decimals', channel: 'Choose Alipay or WeChat Pay', method: 'This way of paying is not available',
        returnUrl: 'The return address is not valid', openId: 'Paying inside WeChat needs the page opened in WeChat', from: 'The start date is not valid', to: 'The end date is not valid', group: 'The grouping is not valid',
        username: 'Enter your phone number', password: 'Enter your password',
      },
    },
  },
}

// Feature labels kept in their own files are merged in, section by section.
for (const [locale, sections] of Object.entries(tenancyMessages))
  for (const [section, labels] of Object.entries(sections)) messages[locale][section] = { ...messages[locale][section], ...labels }

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
if (typeof document !== 'undefined') document.documentElement.lang = i18n.global.locale.value

export function setLocale(locale) {
  i18n.global.locale.value = locale
  localStorage.setItem('prepaid.locale', locale)
  document.documentElement.lang = locale
  window.dispatchEvent(new CustomEvent('prepaid:locale', { detail: locale }))
}
