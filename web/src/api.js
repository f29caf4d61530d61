// The taizhang HTTP API (docs/api.md). Every error becomes an ApiError whose message is the
// server's Chinese `error.message`, safe to show as it is.

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

async function send(method, path, { query, json, body, headers } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } }
  if (json !== undefined) {
    init.body = JSON.stringify(json)
    init.headers['Content-Type'] = 'application/json; charset=utf-8'
  } else if (body !== undefined) {
    init.body = body
  }
  let response
  try {
    response = await fetch(apiUrl(path, query), init)
  } catch {
    throw new ApiError(0, { code: 'network', message: '无法连接服务器，请检查网络或稍后重试' })
  }
  if (!response.ok) throw await errorFrom(response)
  return response
}

async function getJson(path, query) {
  return (await send('GET', path, { query })).json()
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
export async function download(path, query, fallbackName) {
  const response = await send('GET', path, { query, headers: { Accept: '*/*' } })
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
  org: () => getJson('/org'),
  ledgers: () => getJson('/ledgers'),
  ledger: (id) => getJson(`/ledgers/${seg(id)}`),
  records: (id, query) => getJson(`/ledgers/${seg(id)}/records`, query),
  record: (id, rid) => getJson(`/ledgers/${seg(id)}/records/${rid}`),
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
}
