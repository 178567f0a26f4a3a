// Wall-clock times of a site's zone (IANA) as instants with offset, without a date library.

/** The zone's offset in minutes at an instant (e.g. +480 for Asia/Shanghai). */
export function offsetMinutes(timeZone, date) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(date).map(p => [p.type, p.value]))
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second)
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000)
}

/** "2026-11-02 12:00" (or …T12:00:00) read on the site's clock → "2026-11-02T12:00:00+08:00". */
export function siteInstant(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(local || '')
  if (!m) return null
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0))
  let offset = offsetMinutes(timeZone, new Date(guess))
  offset = offsetMinutes(timeZone, new Date(guess - offset * 60000))
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const pad = n => String(n).padStart(2, '0')
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || '00'}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

/** An API instant ("2026-11-02T12:00:00.000+08:00") as the site shows it: "2026-11-02 12:00:00". */
export const shown = at => (at || '').slice(0, 19).replace('T', ' ')
