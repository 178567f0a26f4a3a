import * as signalR from '@microsoft/signalr'
import { auth } from './api.js'

// One connection to /hubs/dashboard per page, reconnecting on its own; handlers are (un)registered by components.
let connection = null
const watched = new Set()

export function hub() {
  if (connection) return connection
  connection = new signalR.HubConnectionBuilder()
    // The socket cannot carry Accept-Language: the page's language goes in the query, and later switches by SetLanguage.
    .withUrl(`/hubs/dashboard?lang=${encodeURIComponent(localStorage.getItem('prepaid.locale') || 'zh-CN')}`, { accessTokenFactory: () => auth.token || '' })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
    .configureLogging(signalR.LogLevel.Warning)
    .build()
  // Group membership is per connection: after a reconnect, watch the same sites again.
  connection.onreconnected(() => { for (const s of watched) connection.invoke('WatchSite', s).catch(() => {}) })
  return connection
}

// Alarms, command outcomes and batch progress arrive worded in the page's language: follow a switch at once.
window.addEventListener('prepaid:locale', e => {
  if (connection?.state === signalR.HubConnectionState.Connected) connection.invoke('SetLanguage', e.detail).catch(() => {})
})

// Several components may ask at once: one start, which all of them await.
let starting = null
export async function startHub() {
  const c = hub()
  if (c.state === signalR.HubConnectionState.Disconnected && !starting)
    starting = c.start().finally(() => { starting = null })
  if (starting) await starting
  document.body.dataset.hub = 'on'
  return c
}

export async function watchSite(siteId) {
  const c = await startHub()
  if (watched.has(siteId)) return
  await c.invoke('WatchSite', siteId)
  watched.add(siteId)
  // A marker for people and browser tests: from here on, changes of this site arrive live.
  document.body.dataset.live = 'on'
}

export async function stopHub() {
  watched.clear()
  delete document.body.dataset.live
  if (connection) await connection.stop()
  connection = null
}
