// Things every page needs and that do not change while the app is open: the org tree, the ledger
// types and the dashboard layout. Each is fetched once per signed-in account; a failed fetch can
// be retried.
import { reactive } from 'vue'
import { api } from './api.js'
import { session } from './session.js'

export const store = reactive({
  org: null,
  ledgers: [],
  dashboard: null,
  errors: { org: null, ledgers: null, dashboard: null },
})

const pending = {}

function loadOnce(key, fetcher, apply) {
  if (!pending[key]) {
    // An answer that arrives after resetStore (signed out meanwhile) is dropped.
    const mine = fetcher()
      .then((value) => {
        if (pending[key] !== mine) return value
        apply(value)
        store.errors[key] = null
        return value
      })
      .catch((error) => {
        if (pending[key] !== mine) throw error
        store.errors[key] = error
        delete pending[key]
        throw error
      })
    pending[key] = mine
  }
  return pending[key]
}

// Forgets everything fetched: another account may see other ledgers.
export function resetStore() {
  for (const key of Object.keys(pending)) delete pending[key]
  store.org = null
  store.ledgers = []
  store.dashboard = null
  store.errors = { org: null, ledgers: null, dashboard: null }
}

export const loadOrg = () => loadOnce('org', api.org, (v) => (store.org = v))
export const loadLedgers = () => loadOnce('ledgers', api.ledgers, (v) => (store.ledgers = v))
export const loadDashboard = () => loadOnce('dashboard', api.dashboard, (v) => (store.dashboard = v))

// The villages to offer in pickers and forms: all of them, or for a village account only its own.
export function villageNames() {
  const all = (store.org?.villages || []).map((v) => v.name)
  const user = session.user
  if (user?.scope === 'village' && user.unit) return all.filter((name) => name === user.unit.name || name === user.unit.code)
  return all
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
