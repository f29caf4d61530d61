// The taizhang HTTP API (docs/api.md). Every error becomes an ApiError whose message is the
// server's Chinese `error.message`, safe to show as it is.
//
// Sessions (issue 5): the session itself is an HttpOnly cookie the browser sends on its own; every
// state-changing request also carries the session's CSRF token in X-CSRF-Token. A 401 anywhere
// means the session is gone (handed to `hooks.unauthenticated`, which goes to the login page); a
// 403 is shown as an error message (and still thrown), except "password_change_required", which
// opens the change-password dialog (`hooks.passwordChangeRequired`).
import { ElMessage } from 'element-plus'

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `请求失败（HTTP ${status}）`)
    this.status = status
    this.code = error?.code || 'unknown'
    this.detail = error?.detail
    this.error = error || {}
  }
}

function queryString(query) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function apiUrl(path, query) {
  return `/api${path}${queryString(query)}`
}

async function errorFrom(response) {
  let body = null
  try {
    body = await response.json()
  } catch {
    // Not JSON: a proxy's page or an empty body.
  }
  if (body?.error) return new ApiError(response.status, body.error)
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new ApiError(response.status, { code: 'unavailable', message: '服务器暂时无法访问，请稍后重试' })
  }
  return new ApiError(response.status, null)
}

let csrfToken = ''

// The CSRF token of the current session (from login or /api/auth/me); '' when signed out.
export function setCsrf(token) {
  csrfToken = token || ''
}

// Set by the app (session.js): what to do when the session is gone or must change its password,
// and how to get a fresh CSRF token (the session's, when the one held is stale).
export const hooks = {
  unauthenticated: () => {},
  passwordChangeRequired: () => {},
  refreshCsrf: async () => false,
}

function isRead(method) {
  return method === 'GET' || method === 'HEAD'
}

async function fetchOnce(method, path, { query, json, body, headers } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' }
  if (!isRead(method) && csrfToken) init.headers['X-CSRF-Token'] = csrfToken
  if (json !== undefined) {
    init.body = JSON.stringify(json)
    init.headers['Content-Type'] = 'application/json; charset=utf-8'
  } else if (body !== undefined) {
    init.body = body
  }
  try {
    return await fetch(apiUrl(path, query), init)
  } catch {
    throw new ApiError(0, { code: 'network', message: '无法连接服务器，请检查网络或稍后重试' })
  }
}

// options.auth false: a 401 is the caller's answer (the login form, the session check), not a
// lost session. options.quiet: a 403 is not shown as a message (the caller shows it).
async function send(method, path, options = {}) {
  let response = await fetchOnce(method, path, options)
  if (response.ok) return response
  let error = await errorFrom(response)
  // A stale CSRF token (the session was renewed in another tab): fetch the session's token and try
  // once more.
  if (error.status === 403 && error.code === 'csrf_failed' && (await hooks.refreshCsrf())) {
    response = await fetchOnce(method, path, options)
    if (response.ok) return response
    error = await errorFrom(response)
  }
  if (error.status === 401 && options.auth !== false) {
    hooks.unauthenticated(error)
  } else if (error.status === 403 && error.code === 'password_change_required') {
    hooks.passwordChangeRequired(error)
  } else if (error.status === 403 && !options.quiet) {
    ElMessage({ type: 'error', message: error.message, grouping: true, duration: 5000 })
  }
  throw error
}

async function getJson(path, query, options) {
  return (await send('GET', path, { query, ...options })).json()
}

async function sendJson(method, path, json, options) {
  const response = await send(method, path, { json, ...options })
  return response.status === 204 ? null : response.json()
}

function filenameFrom(response, fallback) {
  const cd = response.headers.get('Content-Disposition') || ''
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd)
  return plain ? plain[1] : fallback
}

// Fetches a file and hands it to the browser as a download; errors are thrown, not saved.
// `upload`: a File sent as the body of a POST (a Word template to fill).
export async function download(path, query, fallbackName, upload) {
  const response = upload
    ? await send('POST', path, {
        query,
        body: upload,
        headers: {
          Accept: '*/*',
          'Content-Type': 'application/octet-stream',
          'X-Filename': encodeURIComponent(upload.name),
        },
      })
    : await send('GET', path, { query, headers: { Accept: '*/*' } })
  const blob = await response.blob()
  const name = filenameFrom(response, fallbackName)
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return name
}

const seg = encodeURIComponent

export const api = {
  health: () => getJson('/health'),
  // Accounts: a 401 from these is an answer, not a lost session.
  login: (user, password) => sendJson('POST', '/auth/login', { user, password }, { auth: false }),
  me: () => getJson('/auth/me', undefined, { auth: false }),
  logout: () => sendJson('POST', '/auth/logout', undefined, { auth: false, quiet: true }),
  changePassword: (oldPassword, newPassword) =>
    sendJson('POST', '/auth/password', { old_password: oldPassword, new_password: newPassword }),
  users: () => getJson('/users'),
  addUser: (user) => sendJson('POST', '/users', user),
  updateUser: (name, change) => sendJson('PUT', `/users/${seg(name)}`, change),
  resetPassword: (name) => sendJson('POST', `/users/${seg(name)}/reset-password`),
  unlockUser: (name) => sendJson('POST', `/users/${seg(name)}/unlock`),
  roles: () => getJson('/roles'),
  settings: () => getJson('/settings'),
  saveSettings: (settings) => sendJson('PUT', '/settings', settings),
  audit: (query) => getJson('/audit', query),
  verifyAudit: () => getJson('/audit/verify'),
  downloadAudit: (format) => download('/audit/export', { format }, `审计日志.${format}`),

  org: () => getJson('/org'),
  ledgers: () => getJson('/ledgers'),
  ledger: (id) => getJson(`/ledgers/${seg(id)}`),
  records: (id, query) => getJson(`/ledgers/${seg(id)}/records`, query),
  record: (id, rid, query) => getJson(`/ledgers/${seg(id)}/records/${rid}`, query),
  createRecord: async (id, cells) =>
    (await send('POST', `/ledgers/${seg(id)}/records`, { json: { cells } })).json(),
  updateRecord: async (id, rid, cells) =>
    (await send('PUT', `/ledgers/${seg(id)}/records/${rid}`, { json: { cells } })).json(),
  deleteRecord: async (id, rid) =>
    (await send('DELETE', `/ledgers/${seg(id)}/records/${rid}`)).json(),
  importFile: async (id, file, query) =>
    (
      await send('POST', `/ledgers/${seg(id)}/import`, {
        query,
        body: file,
        headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': seg(file.name) },
      })
    ).json(),
  downloadTemplate: (ledger) => download(`/ledgers/${seg(ledger.id)}/template`, {}, `${ledger.title}.xlsx`),
  downloadExport: (ledger, query) =>
    download(`/ledgers/${seg(ledger.id)}/export`, query, `${ledger.title}.${query.format || 'xlsx'}`),
  dashboard: () => getJson('/dashboard'),
  figures: (query) => getJson('/figures', query),
  figuresByVillage: (query) => getJson('/figures/by-village', query),
  figuresByMonth: (query) => getJson('/figures/by-month', query),
  figureRecords: (fid, query) => getJson(`/figures/${seg(fid)}/records`, query),
  report: (query) => getJson('/report', query),
  downloadReport: (query, title) =>
    download('/report/download', query, `${title || '工作总结'}.${query.format}`),
  // A Word template (.docx) filled with the figures of the period and unit in `query`.
  fillWordTemplate: (file, query) =>
    download('/report/fill', query, file.name.replace(/\.docx$/i, '') + '.' + (query.format || 'docx'), file),
}
