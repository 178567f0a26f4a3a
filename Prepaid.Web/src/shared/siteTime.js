// Times as a person at the site reads them. The API gives instants with the site's offset
// (2026-11-03T07:00:00.000+08:00), so their wall-clock part is the site's time whatever zone the browser is in;
// the site's IANA zone (GET /api/sites) gives the offset of a local date, e.g. for a tariff's effective midnight.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/

/** The wall clock of an API instant as a Date in UTC, for Intl with timeZone UTC. */
function wallClock(text) {
  const m = ISO.exec(text || '')
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0))) : null
}

/** 2026/11/03 07:00:05 (zh-CN) or 11/03/2026, 07:00:05 (en): an API instant in the chosen language's format. */
export function siteDateTime(text, locale) {
  const clock = wallClock(text)
  if (!clock) return text || ''
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(clock)
}

/** An instant (a Date) as the site's wall clock in the chosen language's format, e.g. for a receipt printed now. */
export function nowAtSite(date, timeZone, locale) {
  return new Intl.DateTimeFormat(locale, {
    timeZone: timeZone || 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', timeZoneName: 'short',
  }).format(date)
}

/** The site-local calendar date (yyyy-MM-dd) of an instant. */
export function siteDate(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(date).map(p => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** The offset (+08:00) of a zone at an instant. */
export function zoneOffset(timeZone, date) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date).find(p => p.type === 'timeZoneName')?.value || 'GMT'
  const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name)
  return m ? `${m[1]}:${m[2] || '00'}` : '+00:00'
}

/** Midnight starting a site-local date, as an ISO instant with the offset in force then: 2026-11-04T00:00:00+08:00. */
export function siteMidnight(day, timeZone) {
  const [y, mo, d] = day.split('-').map(Number)
  // The offset at the wall-clock midnight read as UTC, corrected once (DST moves it by at most a day's fraction).
  let guess = new Date(Date.UTC(y, mo - 1, d))
  for (let i = 0; i < 2; i++) {
    const [sign, hh, mm] = /([+-])(\d{2}):(\d{2})/.exec(zoneOffset(timeZone, guess)).slice(1)
    const offsetMs = (sign === '-' ? -1 : 1) * (+hh * 60 + +mm) * 60000
    guess = new Date(Date.UTC(y, mo - 1, d) - offsetMs)
  }
  return `${day}T00:00:00${zoneOffset(timeZone, guess)}`
}

/** The first site-local midnight after now: a new price's earliest effective date, never in the past. */
export function nextSiteDay(timeZone, now = new Date()) {
  const today = siteDate(now, timeZone)
  const [y, m, d] = today.split('-').map(Number)
  const next = new Date(Date.UTC(y, m - 1, d + 1))
  return next.toISOString().slice(0, 10)
}
