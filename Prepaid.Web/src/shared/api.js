// The HTTP API: bearer token from sign-in, problem details turned into readable errors.
const TOKEN_KEY = 'prepaid.token'

export const auth = {
  get token() { return localStorage.getItem(TOKEN_KEY) },
  set token(v) { v ? localStorage.setItem(TOKEN_KEY, v) : localStorage.removeItem(TOKEN_KEY) },
}

export class ApiError extends Error {
  constructor(status, problem) {
    const fields = problem?.errors ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ') : ''
    super([problem?.title || `HTTP ${status}`, fields].filter(Boolean).join(' — '))
    this.status = status
    this.problem = problem
  }
}

export async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  // The chosen language goes with every call, so answers (and, as they are localised, problems) can follow it.
  const h = { 'Accept-Language': localStorage.getItem('prepaid.locale') || 'zh-CN', ...headers }
  if (auth.token) h.Authorization = `Bearer ${auth.token}`
  if (body !== undefined) h['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
  if (res.status === 401 && !path.endsWith('/auth/token')) {
    auth.token = null
    window.dispatchEvent(new Event('prepaid:signed-out'))
  }
  if (!res.ok) {
    let problem = null
    try { problem = await res.json() } catch { /* not JSON */ }
    throw new ApiError(res.status, problem)
  }
  if (raw) return res
  if (res.status === 204) return null
  return res.json()
}

export async function signIn(username, password) {
  const t = await api('/api/auth/token', { method: 'POST', body: { username, password } })
  auth.token = t.token
  return api('/api/me')
}

/** Ends the session at the server, which revokes the token and the HttpOnly cookie (a script cannot clear it), then here. */
export async function signOut() {
  const token = auth.token
  auth.token = null
  try {
    await fetch('/api/auth/logout', { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {} })
  } catch { /* offline: the token still expires on its own */ }
}

/** A key per intended money movement: a retry of the same click never credits twice. */
export function idempotencyKey(prefix = 'web') {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
}

/** Downloads a file answer (Excel) under the name the server gives. */
export async function download(path) {
  const res = await api(path, { raw: true })
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)/i.exec(res.headers.get('content-disposition') || '')?.[1] || 'report.xlsx'
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = decodeURIComponent(name)
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}
