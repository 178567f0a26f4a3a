import { session } from './store.js'

// Every time a person sees is in the site's zone, whatever zone the browser is in.
export function siteZone() {
  return session.sites.find(s => s.id === session.siteId)?.timeZone || 'Asia/Shanghai'
}

const formats = new Map()
function formatter(zone, kind) {
  const key = `${zone}|${kind}`
  if (!formats.has(key)) {
    const parts = { timeZone: zone, hourCycle: 'h23' }
    if (kind !== 'clock') Object.assign(parts, { year: 'numeric', month: '2-digit', day: '2-digit' })
    if (kind !== 'day') Object.assign(parts, { hour: '2-digit', minute: '2-digit' })
    if (kind === 'seconds') parts.second = '2-digit'
    // sv-SE writes 2026-11-02 08:00:00, the form the field reads on receipts and in reports.
    formats.set(key, new Intl.DateTimeFormat('sv-SE', parts))
  }
  return formats.get(key)
}

function instant(iso) {
  if (!iso) return null
  const d = iso instanceof Date ? iso : new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** 2026-11-02 08:00:00 in the site's zone; '—' when there is no time. */
export function time(iso, { seconds = true } = {}) {
  const d = instant(iso)
  return d ? formatter(siteZone(), seconds ? 'seconds' : 'minutes').format(d) : '—'
}

/** 2026-11-02 in the site's zone. */
export function day(iso = new Date()) {
  const d = instant(iso)
  return d ? formatter(siteZone(), 'day').format(d) : '—'
}

/** 07:00 in the site's zone. */
export function clock(iso) {
  const d = instant(iso)
  return d ? formatter(siteZone(), 'clock').format(d) : '—'
}

/** yyyy-MM-dd plus n days, calendar arithmetic only. */
export function addDays(yyyyMmDd, n) {
  const [y, m, d] = yyyyMmDd.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return t.toISOString().slice(0, 10)
}

function offsetMinutes(zone, utcMs) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(utcMs)).find(p => p.type === 'timeZoneName')?.value || 'GMT'
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name)
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0)) : 0
}

/** The instant of a wall-clock time in the site's zone, as ISO 8601 with its offset: "2026-11-02T08:00:00+08:00". */
export function zoned(yyyyMmDd, hhmm = '00:00', zone = siteZone()) {
  const [y, mo, d] = yyyyMmDd.split('-').map(Number)
  const [h, mi] = hhmm.split(':').map(Number)
  const wall = Date.UTC(y, mo - 1, d, h, mi)
  const offset = offsetMinutes(zone, wall - offsetMinutes(zone, wall) * 60000)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const pad = n => String(n).padStart(2, '0')
  return `${yyyyMmDd}T${pad(h)}:${pad(mi)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** Now, as ISO 8601 in the site's zone (for instants the operator confirms, such as an opening reading). */
export function nowZoned() {
  const n = new Date()
  return zoned(day(n), clock(n))
}
