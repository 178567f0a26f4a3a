// Labels of move-out and move-in (R26), meter swaps (R27), recurring charges (R28) and deposits (R29), both languages.
export const tenancyMessages = {
  'zh-CN': {
    nav: { tenancies: '租期日历' },
    posting: {
      rent: '房租', property_fee: '物业费', service_fee: '服务费', reading_fee: '抄表费', other_charge: '其他费用', deposit_return: '押金退还', cash_out: '现金退款',
      debt: '转为欠款', refund_paid: '退款完成', refund_returned: '退款退回', deposit: '押金',
    },
    moveOut: {
      button: '退租', title: '退租结算', at: '退租时间', finalReadings: '最终读数', meter: '电表', lastReading: '最近读数', lastAt: '读数时间',
      settle: '结算方式', refund: '原路退款', cash: '现金退款', carryDebt: '记为欠款', moveIn: '新租户入住', newTenantName: '新租户名称',
      newTenantPhone: '新租户手机号', preview: '预览结算', confirm: '确认退租', finalBalance: '结算余额', depositReturned: '退还押金',
      refunded: '原路退回', cashOut: '现金支付', debt: '欠款', charges: '固定费用（按天结算）', receipt: '退租结算单', done: '已退租',
      nextAccount: '新账户', source: '来源', stored: '已存读数', entered: '手工录入', estimated: '估算', amount: '金额', closedAt: '退租时间',
      finalHint: '留空：取表的读数或估算', receiptNo: '单号', operator: '经办人', tenant: '租户', none: '无', refusal: '此结算方式不适用', closed: '已退租', viewReceipt: '查看结算单',
    },
    swap: {
      button: '换表', title: '换表（新老表切换）', at: '换表时间', oldMeter: '旧表', finalReading: '旧表最终读数', newSerial: '新表表号',
      multiplier: '倍率（可选）', initialReading: '新表初始读数', keepConnection: '沿用旧表接线', confirm: '确认换表', done: '已换表：新表 {serial}',
      history: '换表记录', finalBilled: '旧表最终扣费', address: '通讯地址',
    },
    charges: {
      title: '固定费用', create: '新增协议', kind: '类型', rent: '房租', propertyFee: '物业费', serviceFee: '服务费', readingFee: '抄表费', other: '其他', name: '名称',
      amount: '每期金额', period: '周期', month: '每月', quarter: '每季度', year: '每年', dueDay: '扣费日', from: '开始日期', to: '结束日期（不含）',
      trips: '欠费时拉闸', yes: '拉闸', no: '不拉闸', end: '终止', ended: '已终止', active: '生效', posted: '已扣费用', periodKey: '期间',
      days: '天数', state: '状态', save: '保存', endConfirm: '终止该协议？未使用天数的费用将退回余额。',
    },
    deposits: { title: '押金', held: '在押金额', take: '收取押金', amount: '金额', channel: '渠道', at: '时间', returned: '已退还' },
    tenancies: { title: '租期日历', room: '房间', tenant: '租户', from: '入住', to: '退租', current: '在租', closed: '已退租', account: '账户', empty: '空置' },
    tenantCharges: { title: '固定费用', days: '{days}/{of} 天' },
    reports: { charges: '固定费用' },
    overview: { chargesToday: '今日固定费用' },
  },
  en: {
    nav: { tenancies: 'Tenancies' },
    posting: {
      rent: 'Rent', property_fee: 'Property fee', service_fee: 'Service fee', reading_fee: 'Reading fee', other_charge: 'Other charge', deposit_return: 'Deposit returned',
      cash_out: 'Cash refund', debt: 'Carried as debt', refund_paid: 'Refund paid', refund_returned: 'Refund returned', deposit: 'Deposit',
    },
    moveOut: {
      button: 'Move out', title: 'Move-out settlement', at: 'Move-out at', finalReadings: 'Final readings', meter: 'Meter', lastReading: 'Last reading',
      lastAt: 'Read at', settle: 'Settle by', refund: 'Refund to the original channel', cash: 'Cash at the counter', carryDebt: "Record as the tenant's debt",
      moveIn: 'Next tenant moves in', newTenantName: 'Next tenant name', newTenantPhone: 'Next tenant phone', preview: 'Preview settlement',
      confirm: 'Confirm move-out', finalBalance: 'Final balance', depositReturned: 'Deposit returned', refunded: 'Refunded to channel', cashOut: 'Paid in cash',
      debt: 'Debt', charges: 'Recurring charges (by day)', receipt: 'Move-out receipt', done: 'Moved out', nextAccount: 'Next account', source: 'Source',
      stored: 'Stored reading', entered: 'Entered', estimated: 'Estimated', amount: 'Amount', closedAt: 'Moved out at', finalHint: "Empty: the meter's own reading or an estimate", receiptNo: 'Receipt no.',
      operator: 'Operator', tenant: 'Tenant', none: 'None', refusal: 'This settlement does not fit', closed: 'Closed', viewReceipt: 'Move-out receipt',
    },
    swap: {
      button: 'Swap meter', title: 'Meter swap', at: 'Swap at', oldMeter: 'Old meter', finalReading: 'Old meter final reading', newSerial: 'New meter serial',
      multiplier: 'Multiplier (optional)', initialReading: 'New meter initial reading', keepConnection: "Use the old meter's wiring", confirm: 'Confirm swap',
      done: 'Swapped: new meter {serial}', history: 'Swaps', finalBilled: 'Final reading billed', address: 'Address',
    },
    charges: {
      title: 'Recurring charges', create: 'New agreement', kind: 'Kind', rent: 'Rent', propertyFee: 'Property fee', serviceFee: 'Service fee', readingFee: 'Reading fee', other: 'Other',
      name: 'Name', amount: 'Amount per period', period: 'Period', month: 'Monthly', quarter: 'Quarterly', year: 'Yearly', dueDay: 'Due day',
      from: 'First day', to: 'End day (not charged)', trips: 'Trips on arrears', yes: 'Trips', no: 'Never trips', end: 'End', ended: 'Ended', active: 'Active',
      posted: 'Charges posted', periodKey: 'Period', days: 'Days', state: 'State', save: 'Save',
      endConfirm: 'End this agreement? Days already charged beyond today come back to the balance.',
    },
    deposits: { title: 'Deposit', held: 'Held', take: 'Take deposit', amount: 'Amount', channel: 'Channel', at: 'At', returned: 'Returned' },
    tenancies: { title: 'Tenancy calendar', room: 'Room', tenant: 'Tenant', from: 'Moved in', to: 'Moved out', current: 'Current', closed: 'Moved out', account: 'Account', empty: 'Vacant' },
    tenantCharges: { title: 'Recurring charges', days: '{days} of {of} days' },
    reports: { charges: 'Recurring charges' },
    overview: { chargesToday: "Today's recurring charges" },
  },
}
