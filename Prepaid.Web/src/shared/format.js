// Dates, amounts and quantities as a person reads them, in the chosen language. Instants come from the API with the
// site's offset (2026-11-03T07:00:00.000+08:00), so their wall-clock part is the site's time: it is shown as is,
// whatever zone the phone is set to.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/

/** The wall-clock time of an API instant (or a yyyy-MM-dd / yyyy-MM period) as a Date in UTC, for Intl with timeZone UTC. */
export function siteClock(text) {
  const m = ISO.exec(text.length === 7 ? `${text}-01` : text)
  if (!m) return null
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0)))
}

function format(text, locale, options) {
  const clock = siteClock(text)
  return clock ? new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options }).format(clock) : text
}

/** 11月3日 07:00 / Nov 3, 07:00 */
export const siteDateTime = (text, locale) => format(text, locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** 2026年11月3日 07:00:05 / Nov 3, 2026, 07:00:05 */
export const siteFullDateTime = (text, locale) =>
  format(text, locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** 07:00 */
export const siteTime = (text, locale) => format(text, locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** A statement period: 11月2日周一 / Mon, Nov 2 (a day) or 2026年11月 / November 2026 (a month). */
export const sitePeriod = (period, locale) => period.length === 7
  ? format(period, locale, { year: 'numeric', month: 'long' })
  : format(period, locale, { month: 'short', day: 'numeric', weekday: 'short' })

/** A short date: 11月2日 / Nov 2 */
export const siteDay = (text, locale) => format(text, locale, { month: 'short', day: 'numeric' })

/**
 * An amount string from the API ("-1234.50") with thousands separators, kept as text: money is never a float here.
 * zh-CN and en group digits the same way (1,234.50).
 */
export function money(amount) {
  if (amount == null) return ''
  const text = String(amount)
  const negative = text.startsWith('-')
  const [whole, fraction = '00'] = (negative ? text.slice(1) : text).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}.${fraction.padEnd(2, '0').slice(0, 2)}`
}

/** A signed amount for a statement line: +95.00 / -1.20 */
export const signedMoney = amount => (String(amount).startsWith('-') ? '' : '+') + money(amount)

/** A quantity string shown with at most three decimals (the finest register step); display only, never money. */
export function quantity(text) {
  if (text == null) return ''
  const n = Number(text)
  return Number.isFinite(n) ? String(Math.round(n * 1000) / 1000) : String(text)
}

/** An exact cost from the API ("1.862", "5") with at least the two decimals of money and no more than four. */
export function exactMoney(text) {
  if (text == null) return ''
  const [whole, fraction = ''] = String(text).split('.')
  const kept = fraction.slice(0, 4).padEnd(2, '0')
  return `${money(`${whole}.00`).slice(0, -3)}.${kept}`
}
