// Labels of the notifications: the tenant's subscriptions (phone page) and the operator's message list, both languages.
export const notificationMessages = {
  'zh-CN': {
    nav: { notifications: '通知消息' },
    notifyKind: {
      lowBalance1: '余额不足（一级告警）', lowBalance2: '余额严重不足（二级告警）', supplyCutSoon: '即将停止供应', supplyCut: '已停止供应',
      supplyRestored: '已恢复供应', paymentReceived: '充值到账', leak: '疑似漏水', leakCleared: '漏水已停止', statementReady: '对账单已生成',
    },
    notifyChannel: { sms: '短信', wechat: '微信', email: '电子邮件' },
    notifyState: { quiet: '等待免打扰结束', pending: '待发送', sent: '已发送', failed: '发送失败' },
    notify: {
      title: '消息通知', intro: '选择接收方式、通知内容和免打扰时段（按站点时间）。',
      channels: '接收方式', kinds: '通知内容', quiet: '免打扰时段', quietOn: '在免打扰时段内不发送（时段结束后补发）',
      quietFrom: '开始', quietTo: '结束', save: '保存通知设置', saved: '通知设置已保存',
      address: { sms: '手机号', wechat: '微信 openid', email: '邮箱地址' },
      badAddress: '{channel}的地址不正确', noKinds: '请至少选择一项通知内容', badQuiet: '请填写免打扰的开始和结束时间',
      failed: '保存失败，请稍后重试',
    },
    notifications: {
      title: '通知消息', kind: '类型', tenant: '租户', account: '账户', channel: '渠道', address: '地址', state: '状态', attempts: '尝试次数',
      createdAt: '生成时间', notBefore: '计划发送', sentAt: '发送时间', error: '错误', none: '暂无通知消息', filters: '筛选',
      intro: '发给租户的短信、微信和邮件；免打扰时段内的消息在时段结束后发送，失败的消息会自动重试。',
    },
  },
  en: {
    nav: { notifications: 'Notifications' },
    notifyKind: {
      lowBalance1: 'Low balance (alarm 1)', lowBalance2: 'Balance very low (alarm 2)', supplyCutSoon: 'Supply to be cut', supplyCut: 'Supply cut',
      supplyRestored: 'Supply restored', paymentReceived: 'Payment received', leak: 'Possible leak', leakCleared: 'Leak stopped', statementReady: 'Statement ready',
    },
    notifyChannel: { sms: 'SMS', wechat: 'WeChat', email: 'E-mail' },
    notifyState: { quiet: 'Waiting for quiet hours', pending: 'Pending', sent: 'Sent', failed: 'Failed' },
    notify: {
      title: 'Notifications', intro: "Choose how to be told, what about, and quiet hours (site time).",
      channels: 'Channels', kinds: 'Tell me about', quiet: 'Quiet hours', quietOn: 'Nothing during quiet hours (sent when they end)',
      quietFrom: 'From', quietTo: 'To', save: 'Save notification settings', saved: 'Notification settings saved',
      address: { sms: 'Mobile number', wechat: 'WeChat openid', email: 'E-mail address' },
      badAddress: 'The {channel} address is not valid', noKinds: 'Choose at least one kind of notification', badQuiet: 'Give the start and end of the quiet hours',
      failed: 'Could not save, please try again',
    },
    notifications: {
      title: 'Notifications', kind: 'Kind', tenant: 'Tenant', account: 'Account', channel: 'Channel', address: 'Address', state: 'State', attempts: 'Attempts',
      createdAt: 'Created', notBefore: 'Due', sentAt: 'Sent', error: 'Error', none: 'No notifications yet', filters: 'Filters',
      intro: 'SMS, WeChat and e-mail messages to tenants; a message inside quiet hours goes when they end, a failed one is retried.',
    },
  },
}
