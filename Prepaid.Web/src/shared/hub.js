import * as signalR from '@microsoft/signalr'
import { auth } from './api.js'

// One connection to /hubs/dashboard per page, reconnecting on its own; handlers are (un)registered by components.
let connection = null
const watched = new Set()

export function hub() {
  if (connection) return connection
  connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/dashboard', { accessTokenFactory: () => auth.token || '' })
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
    .configureLogging(signalR.LogLevel.Warning)
    .build()
  // Group membership is per connection: after a reconnect, watch the same sites again.
  connection.onreconnected(() => { for (const s of watched) connection.invoke('WatchSite', s).catch(() => {}) })
  return connection
}

export async function startHub() {
  const c = hub()
  if (c.state === signalR.HubConnectionState.Disconnected) await c.start()
  return c
}

export async function watchSite(siteId) {
  const c = await startHub()
  if (watched.has(siteId)) return
  watched.add(siteId)
  await c.invoke('WatchSite', siteId)
}

export async function stopHub() {
  watched.clear()
  if (connection) await connection.stop()
  connection = null
}
