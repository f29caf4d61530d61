// Things every page needs and that do not change while the app is open: the org tree, the ledger
// types and the dashboard layout. Each is fetched once; a failed fetch can be retried.
import { reactive } from 'vue'
import { api } from './api.js'

export const store = reactive({
  org: null,
  ledgers: [],
  dashboard: null,
  errors: { org: null, ledgers: null, dashboard: null },
})

const pending = {}

function loadOnce(key, fetcher, apply) {
  if (!pending[key]) {
    pending[key] = fetcher()
      .then((value) => {
        apply(value)
        store.errors[key] = null
        return value
      })
      .catch((error) => {
        store.errors[key] = error
        delete pending[key]
        throw error
      })
  }
  return pending[key]
}

export const loadOrg = () => loadOnce('org', api.org, (v) => (store.org = v))
export const loadLedgers = () => loadOnce('ledgers', api.ledgers, (v) => (store.ledgers = v))
export const loadDashboard = () => loadOnce('dashboard', api.dashboard, (v) => (store.dashboard = v))

export function villageNames() {
  return (store.org?.villages || []).map((v) => v.name)
}

// Ledgers grouped by work area, in the order the pack lists them.
export function ledgerDomains() {
  const groups = new Map()
  for (const ledger of store.ledgers) {
    const domain = ledger.domain || '其他'
    if (!groups.has(domain)) groups.set(domain, [])
    groups.get(domain).push(ledger)
  }
  return [...groups.entries()].map(([domain, ledgers]) => ({ domain, ledgers }))
}
