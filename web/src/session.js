// Who is signed in (issue 5): the profile from POST /api/auth/login or GET /api/auth/me — name,
// role, data scope and unit, permissions, the ledgers the role sees — and what the app derives
// from it: which menu items, buttons and pages to show, and where to land after signing in.
import { reactive } from 'vue'
import { api, hooks, setCsrf } from './api.js'
import { resetStore } from './store.js'

export const session = reactive({
  user: null, // the profile's "user", or null when signed out
  checked: false, // /api/auth/me asked once since the app started
  passwordDialog: false, // the change-password dialog opened from the user menu
})

let router = null
let checking = null

function apply(profile) {
  const before = session.user?.name
  session.user = profile?.user || null
  setCsrf(profile?.csrf || '')
  // Another account (or none): the ledgers, the org view and the layout fetched for the last one
  // may not be this one's.
  if (before !== session.user?.name) resetStore()
}

// GET /api/auth/me once (again with `force`); a 401 means signed out. Other failures (the server
// unreachable) are thrown.
export function checkSession(force = false) {
  if (session.checked && !force) return Promise.resolve(session.user)
  if (!checking) {
    checking = api
      .me()
      .then((profile) => apply(profile))
      .catch((error) => {
        if (error.status !== 401) throw error
        apply(null)
      })
      .then(() => {
        session.checked = true
        return session.user
      })
      .finally(() => (checking = null))
  }
  return checking
}

export async function login(user, password) {
  const profile = await api.login(user, password)
  apply(profile)
  session.checked = true
  return session.user
}

export async function logout() {
  try {
    await api.logout()
  } catch {
    // The session is already gone: signed out all the same.
  }
  apply(null)
  session.passwordDialog = false
  await router?.push({ name: 'login' })
}

export function can(permission) {
  return Boolean(session.user?.permissions?.includes(permission))
}

// The role's data scope: "town", "village", "grid" or "none".
export function scopeKind() {
  return session.user?.scope || 'none'
}

// The unit a village or grid account is pinned to, as the unit pickers name it (a village by its
// name, a grid by its key), or '' for town-wide and scope-less roles.
export function pinnedUnit() {
  const u = session.user
  if (!u?.unit) return ''
  if (u.scope === 'village') return u.unit.name
  if (u.scope === 'grid') return u.unit.code
  return ''
}

// Where to go after signing in, or from a page the role may not open: the dashboard with
// `report`, else the first ledger the role sees with `read`, else users, else the audit log.
export function landing() {
  if (can('report')) return { name: 'dashboard' }
  if (can('read') && session.user.ledgers?.length) return { name: 'ledger', params: { id: session.user.ledgers[0] } }
  if (can('users')) return { name: 'users' }
  if (can('audit')) return { name: 'audit' }
  return { name: 'no-access' }
}

// A ?redirect= target is only followed inside the app.
export function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return ''
  if (target === '/login' || target.startsWith('/login?')) return ''
  return target
}

export function installSession(r) {
  router = r
  hooks.refreshCsrf = async () => {
    try {
      await checkSession(true)
      return Boolean(session.user)
    } catch {
      return false
    }
  }
  let redirecting = false
  hooks.unauthenticated = () => {
    apply(null)
    session.checked = true
    const current = router.currentRoute.value
    if (redirecting || current.name === 'login') return
    redirecting = true
    const redirect = current.matched.length ? current.fullPath : undefined
    router.push({ name: 'login', query: redirect && redirect !== '/' ? { redirect } : {} }).finally(() => (redirecting = false))
  }
  hooks.passwordChangeRequired = () => {
    if (session.user) session.user.must_change_password = true
  }

  router.beforeEach(async (to) => {
    let user
    try {
      user = await checkSession()
    } catch {
      // The server cannot be reached: the login page says so when the user tries.
      if (to.meta.public) return true
      return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    if (to.meta.public) {
      if (to.name === 'login' && user) return safeRedirect(to.query.redirect) || landing()
      return true
    }
    if (!user) {
      return { name: 'login', query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    if (to.name === 'home') return { ...landing(), query: landing().name === 'dashboard' ? to.query : {} }
    if (to.meta.perm && !can(to.meta.perm)) return landing()
    return true
  })
}
