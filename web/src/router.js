import { createRouter, createWebHistory } from 'vue-router'

const routes = [
  { path: '/', redirect: (to) => ({ path: '/dashboard', query: to.query }) },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: '工作概览', scoped: true } },
  { path: '/report', name: 'report', component: () => import('./views/ReportView.vue'), meta: { title: '工作总结', scoped: true } },
  { path: '/figures/:id', name: 'figure', component: () => import('./views/FigureView.vue'), meta: { title: '指标明细', scoped: true } },
  { path: '/ledgers/:id', name: 'ledger', component: () => import('./views/LedgerView.vue'), meta: { title: '台账' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
]

export default createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})
