import { createRouter, createWebHistory } from 'vue-router'
import { installSession } from './session.js'

// meta.perm: the permission a page needs (the menu hides it, the guard sends the user to their
// landing page without it); meta.public: reachable signed out; meta.scoped: the period/unit picker.
const routes = [
  // `/` goes to the landing page of the signed-in role (session.js).
  { path: '/', name: 'home', component: { render: () => null } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录', public: true } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: '工作概览', scoped: true, perm: 'report' } },
  { path: '/report', name: 'report', component: () => import('./views/ReportView.vue'), meta: { title: '工作总结', scoped: true, perm: 'report' } },
  { path: '/figures/:id', name: 'figure', component: () => import('./views/FigureView.vue'), meta: { title: '指标明细', scoped: true, perm: 'report' } },
  { path: '/ledgers/:id', name: 'ledger', component: () => import('./views/LedgerView.vue'), meta: { title: '台账', perm: 'read' } },
  { path: '/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { title: '用户管理', perm: 'users' } },
  { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: '审计日志', perm: 'audit' } },
  { path: '/no-access', name: 'no-access', component: () => import('./views/NoAccessView.vue'), meta: { title: '没有可用的功能' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
]

const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

installSession(router)

export default router
