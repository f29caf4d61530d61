// The period and village that the dashboard, the report and the drill-down views show, kept in
// the URL query (?period=2022H1&unit=院前村) so a view can be bookmarked and shared.
import { computed } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { store } from '../store.js'
import { pinnedUnit } from '../session.js'

export function fallbackPeriod() {
  const now = new Date()
  return now.getMonth() < 6 ? `${now.getFullYear() - 1}H2` : `${now.getFullYear()}H1`
}

export function defaultPeriod() {
  return store.dashboard?.default_period || fallbackPeriod()
}

export function useScope() {
  const route = useRoute()
  const router = useRouter()
  const period = computed(() => String(route.query.period || defaultPeriod()))
  // A village or grid account sees its own unit when the URL names none (the server does the same).
  const unit = computed(() => String(route.query.unit || pinnedUnit()))
  const query = computed(() => ({ period: period.value, unit: unit.value || undefined }))

  function setScope(change) {
    const next = { ...route.query, ...change }
    for (const key of Object.keys(next)) if (next[key] === '' || next[key] == null) delete next[key]
    router.push({ query: next })
  }
  return { period, unit, query, setScope }
}

// The scope part of a query, to carry along on links between scoped views.
export function scopeQuery(route) {
  const q = {}
  if (route.query.period) q.period = route.query.period
  if (route.query.unit) q.unit = route.query.unit
  return q
}
