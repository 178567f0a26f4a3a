// The field's colours for the dashboard states, the same on every page.
export const STATES = ['notOpened', 'normal', 'alarm1', 'alarm2', 'arrears', 'keepOn', 'offline']

export const STATE_COLORS = {
  notOpened: '#909399',
  normal: '#2e9d4c',
  alarm1: '#e6a23c',
  alarm2: '#f56c2d',
  arrears: '#d93026',
  keepOn: '#3a7bd5',
  offline: '#5b4b8a',
}
