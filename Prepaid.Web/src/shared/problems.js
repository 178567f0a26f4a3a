// What a person reads when the API says no: known problems by status and field in the chosen language, never the
// server's English title in the Chinese page (the server will localise its problems later; until then this maps them).

/**
 * @param {unknown} e an ApiError from api.js, or anything thrown by fetch
 * @param {(key: string, values?: object) => string} t vue-i18n's t
 * @param {(key: string) => boolean} te vue-i18n's te
 */
export function problemMessage(e, t, te) {
  const status = e?.status
  if (!status) return t('errors.network')
  const fields = Object.keys(e.problem?.errors || {})
  const known = fields.map(f => f.replace(/\[\d+\]/g, '').split('.').pop()).find(f => te(`errors.field.${f}`))
  if (known && (status === 400 || status === 422)) return t(`errors.field.${known}`)
  if (status === 401) return t('errors.signedOut')
  if (status === 404) return t('errors.notFound')
  if (status === 409) return t('errors.closed')
  if (status === 422 || status === 502 || status === 503) return t('errors.channel')
  return t('errors.generic')
}
