import { reactive, shallowRef, triggerRef } from 'vue'
import { api } from '../shared/api.js'
import { hub, startHub, watchSite } from '../shared/hub.js'

// What the operator pages share: who is signed in, the chosen site, the live grid, live alarms and batch progress.
export const session = reactive({ me: null, sites: [], siteId: null })

// The grid holds up to tens of thousands of rows: a shallow ref, with rows replaced in place and one trigger per frame.
export const grid = { rows: shallowRef([]), index: new Map(), loadedAt: shallowRef(null) }
export const live = reactive({ alarms: [], batches: {}, accountVersion: 0, accounts: {} })

let pending = false
function scheduleTrigger() {
  if (pending) return
  pending = true
  requestAnimationFrame(() => { pending = false; triggerRef(grid.rows) })
}

export async function loadGrid(siteId) {
  if (!siteId) return
  const t0 = performance.now()
  const rows = await api(`/api/dashboard/meters?siteId=${siteId}`)
  grid.index = new Map(rows.map((r, i) => [r.meterId, i]))
  grid.rows.value = rows
  grid.loadedAt.value = performance.now() - t0
}

function applyMeters(rows) {
  const list = grid.rows.value
  for (const r of rows) {
    if (r.siteId !== session.siteId) continue
    const i = grid.index.get(r.meterId)
    r._changedAt = Date.now()
    if (i === undefined) { grid.index.set(r.meterId, list.length); list.push(r) } else list[i] = r
  }
  scheduleTrigger()
}

let wired = false
export async function connectLive() {
  const c = hub()
  if (!wired) {
    wired = true
    c.on('meterChanged', applyMeters)
    c.on('accountChanged', changes => {
      for (const a of changes) live.accounts[a.accountId] = a
      live.accountVersion++
    })
    c.on('alarm', a => { live.alarms.unshift(a); if (live.alarms.length > 200) live.alarms.pop() })
    c.on('batchProgress', p => { live.batches[p.batchId] = p })
    c.on('commandChanged', () => {})
    // What changed while the connection was down (its node gone, the client now on another) is not sent again: reload.
    c.onreconnected(() => { if (session.siteId) loadGrid(session.siteId).catch(() => {}) })
  }
  await startHub()
  if (session.siteId) await watchSite(session.siteId)
}

// One load at a time: the router guard and the sign-in page may both ask.
let loading = null
export function loadSession() {
  loading ??= (async () => {
    const me = await api('/api/me')
    // A tenant has no sites to choose from: the phone page is theirs.
    const sites = me.role === 'tenant' ? [] : await api('/api/sites')
    const saved = Number(localStorage.getItem('prepaid.site'))
    session.sites = sites
    session.siteId = sites.find(s => s.id === saved)?.id ?? sites[0]?.id ?? null
    session.me = me
    return me
  })().finally(() => { loading = null })
  return loading
}

export function clearSession() {
  session.me = null
  session.sites = []
  session.siteId = null
  grid.rows.value = []
  grid.index = new Map()
}

export function chooseSite(id) {
  session.siteId = id
  localStorage.setItem('prepaid.site', String(id))
}

export const WRITERS = ['admin', 'operator']
export const CASHIERS = ['admin', 'operator', 'cashier']
export const isStaffWriter = () => WRITERS.includes(session.me?.role)
export const canCash = () => CASHIERS.includes(session.me?.role)
export const isAdmin = () => session.me?.role === 'admin'

/** The grid rows of one account (its meters), for what the grid knows and the account answer does not. */
export const rowsOfAccount = accountId => grid.rows.value.filter(r => r.accountId === Number(accountId))
