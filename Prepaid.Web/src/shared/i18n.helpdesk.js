// The helpdesk's labels, for the phone page and the dashboard alike, in both languages: categories, states and events
// are always shown through these, never as the API names them.
export const helpdeskMessages = {
  'zh-CN': {
    nav: { requests: '报修工单' },
    helpdesk: {
      title: '报修与咨询', file: '我要报修', category: '问题类型', text: '问题描述', textPlaceholder: '请描述问题：位置、时间、现象', account: '相关账户',
      noAccount: '不指定', photo: '照片（可选）', addPhoto: '拍照或选择图片', removePhoto: '移除照片', photoHint: 'JPEG、PNG 或 WebP，最大 5 MB',
      photoType: '只能上传 JPEG、PNG 或 WebP 图片', photoTooBig: '照片过大（最大 5 MB）', submit: '提交', cancel: '取消', filed: '已提交，物业会尽快处理',
      mine: '我的报修', none: '暂无报修', replies: '{n} 条回复', noReplies: '暂无回复', open: '查看', back: '返回列表', staff: '物业', you: '我',
      comment: '补充说明', commentPlaceholder: '补充情况或回复物业', send: '发送', sent: '已发送', reopenHint: '已关闭的报修，补充说明后会重新打开',
      createdAt: '提交时间', history: '处理记录', request: '报修 #{id}', photoAlt: '报修照片', textRequired: '请填写问题描述',
      // The dashboard's pages.
      staffTitle: '报修工单', state: '状态', assignee: '处理人', unassigned: '未指派', tenant: '租户', site: '站点', all: '全部', filter: '筛选',
      detail: '工单 #{id}', assign: '指派', assignTo: '指派给', assigned: '已指派', comments: '沟通记录', internal: '内部备注（租户不可见）',
      internalTag: '内部', fromTenant: '租户', closeNote: '处理结果（租户可见，可选）', close: '关闭工单', closed: '工单已关闭', reopen: '重新打开',
      reopened: '工单已重新打开', by: '操作人', at: '时间', noPhoto: '无照片', count: '共 {n} 条', overview: '报修工单', openCount: '待处理',
      assignedCount: '处理中', view: '查看', replyCount: '回复', updatedAt: '更新时间', noneStaff: '没有符合条件的工单',
    },
    requestCategory: { supplyOutage: '停电/停水', meterFault: '表计故障', billingQuestion: '费用咨询', leak: '漏水', other: '其他' },
    requestState: { open: '待处理', assigned: '处理中', closed: '已关闭' },
    requestEvent: { filed: '提交报修', assigned: '已指派', closed: '已关闭', reopened: '重新打开' },
  },
  en: {
    nav: { requests: 'Requests' },
    helpdesk: {
      title: 'Requests and questions', file: 'Report a problem', category: 'Category', text: 'Description', textPlaceholder: 'What happened, where and when',
      account: 'Account', noAccount: 'None', photo: 'Photo (optional)', addPhoto: 'Take or choose a photo', removePhoto: 'Remove photo',
      photoHint: 'JPEG, PNG or WebP, at most 5 MB', photoType: 'Only JPEG, PNG or WebP images', photoTooBig: 'The photo is too large (5 MB at most)',
      submit: 'Send', cancel: 'Cancel', filed: 'Sent: the staff will look at it soon', mine: 'My requests', none: 'No requests yet', replies: 'Replies: {n}',
      noReplies: 'No reply yet', open: 'Open', back: 'Back to the list', staff: 'Staff', you: 'You', comment: 'Add a comment',
      commentPlaceholder: 'More details, or an answer to the staff', send: 'Send', sent: 'Sent', reopenHint: 'A comment on a closed request reopens it',
      createdAt: 'Sent', history: 'History', request: 'Request #{id}', photoAlt: 'Photo of the request', textRequired: 'Describe the problem',
      staffTitle: 'Requests', state: 'State', assignee: 'Assignee', unassigned: 'Unassigned', tenant: 'Tenant', site: 'Site', all: 'All', filter: 'Filter',
      detail: 'Request #{id}', assign: 'Assign', assignTo: 'Assign to', assigned: 'Assigned', comments: 'Conversation', internal: 'Internal note (the tenant does not see it)',
      internalTag: 'Internal', fromTenant: 'Tenant', closeNote: 'Resolution (the tenant sees it; optional)', close: 'Close request', closed: 'Request closed',
      reopen: 'Reopen', reopened: 'Request reopened', by: 'By', at: 'At', noPhoto: 'No photo', count: 'Requests: {n}', overview: 'Requests',
      openCount: 'Open', assignedCount: 'In progress', view: 'View', replyCount: 'Replies', updatedAt: 'Updated', noneStaff: 'No request matches',
    },
    requestCategory: { supplyOutage: 'Supply outage', meterFault: 'Meter fault', billingQuestion: 'Billing question', leak: 'Leak', other: 'Other' },
    requestState: { open: 'Open', assigned: 'In progress', closed: 'Closed' },
    requestEvent: { filed: 'Filed', assigned: 'Assigned', closed: 'Closed', reopened: 'Reopened' },
  },
}
