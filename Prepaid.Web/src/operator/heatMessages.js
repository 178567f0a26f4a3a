// The heat allocation pages' labels (R34), in both languages; merged with the operator's messages at start (main.js).
export const heatMessages = {
  'zh-CN': {
    nav: { heat: '热量分摊' },
    heat: {
      title: '热量分摊', settings: '楼栋设置', ur: 'Ur（按分配器读数分摊的比例）', urHint: '0.50–0.90', k: '修正系数 k', save: '保存设置', saved: '设置已保存',
      runs: '分摊记录', none: '暂无分摊记录', create: '新建分摊', period: '分摊期间', periodHint: '按站点时区的整日计算，期间须已结束。',
      quantity: '楼栋热量（总表读数差）', costBy: '费用来源', byTariff: '按热价计价', byTotal: '直接输入总费用', tariff: '热价', totalCost: '总费用（元）',
      flats: '住户', include: '参与', flat: '住户', area: '面积（㎡）', hasAllocators: '有分配器', units: '分配器读数（单位）', run: '运行分摊',
      model: '模型', model2EG: '2EG（无分配器，按面积）', model3EG: '3EG（有分配器，按读数和面积）', amount: '金额', share: '分摊热量',
      total: '合计', sheet: '分摊单', print: '打印', back: '返回', alreadyRun: '该期间已用相同数据运行过：以下为首次结果，未重复扣费',
      exactCost: '精确费用', posted: '已扣费', room: '房间', tenant: '租户', noUnits: '—', account: '账户',
      sheetTitle: '热量分摊单', building: '楼栋',
    },
  },
  en: {
    nav: { heat: 'Heat allocation' },
    heat: {
      title: 'Heat allocation', settings: 'Building settings', ur: 'Ur (share split by allocator units)', urHint: '0.50–0.90', k: 'Correction factor k', save: 'Save settings', saved: 'Settings saved',
      runs: 'Allocation runs', none: 'No allocation yet', create: 'New allocation', period: 'Period', periodHint: "Whole days in the site's zone; the period must have ended.",
      quantity: "Building heat (the heat meter's quantity)", costBy: 'Cost from', byTariff: 'Priced at a heat tariff', byTotal: 'A total cost', tariff: 'Heat tariff', totalCost: 'Total cost (CNY)',
      flats: 'Flats', include: 'In', flat: 'Flat', area: 'Area (m²)', hasAllocators: 'Allocators', units: 'Allocator units', run: 'Run allocation',
      model: 'Model', model2EG: '2EG (no allocators, by area)', model3EG: '3EG (allocators, by units and area)', amount: 'Amount', share: 'Heat share',
      total: 'Total', sheet: 'Allocation sheet', print: 'Print', back: 'Back', alreadyRun: 'This period was already run with the same figures: the first result is shown, nothing was charged again',
      exactCost: 'Exact cost', posted: 'Charged', room: 'Room', tenant: 'Tenant', noUnits: '—', account: 'Account',
      sheetTitle: 'Heat cost allocation sheet', building: 'Building',
    },
  },
}
