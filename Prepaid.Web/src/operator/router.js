import { createRouter, createWebHistory } from 'vue-router'
import { auth } from '../shared/api.js'
import { CASHIERS, WRITERS, loadSession, session } from './store.js'

// meta.roles: who may open the page; others see the "not allowed" page and no request is sent for them.
export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/signin', component: () => import('./pages/SignIn.vue'), meta: { public: true } },
    { path: '/', component: () => import('./pages/Overview.vue') },
    { path: '/meters', component: () => import('./pages/Meters.vue') },
    { path: '/meters/:id', component: () => import('./pages/Meter.vue'), props: true },
    { path: '/readings/import', component: () => import('./pages/ImportReadings.vue'), meta: { roles: WRITERS } },
    { path: '/accounts/:id', component: () => import('./pages/Account.vue'), props: true },
    { path: '/topup', component: () => import('./pages/TopUp.vue'), meta: { roles: CASHIERS } },
    { path: '/open', component: () => import('./pages/OpenAccount.vue'), meta: { roles: WRITERS } },
    { path: '/tariffs', component: () => import('./pages/Tariffs.vue') },
    { path: '/apportionments', component: () => import('./pages/Apportionments.vue') },
    { path: '/heat', component: () => import('./pages/HeatAllocations.vue') },
    { path: '/heat/:id', component: () => import('./pages/HeatSheet.vue'), props: true },
    { path: '/circuits', component: () => import('./pages/Circuits.vue') },
    { path: '/compensations', component: () => import('./pages/Compensations.vue') },
    { path: '/reconciliation', component: () => import('./pages/Reconciliation.vue') },
    { path: '/alarms', component: () => import('./pages/Alarms.vue') },
    { path: '/notifications', component: () => import('./pages/Notifications.vue') },
    { path: '/reports', component: () => import('./pages/Reports.vue') },
    { path: '/users', component: () => import('./pages/Users.vue'), meta: { roles: ['admin'] } },
    { path: '/password', component: () => import('./pages/Password.vue'), meta: { anySite: true } },
    { path: '/forbidden', component: () => import('./pages/Forbidden.vue'), meta: { anySite: true } },
    { path: '/tenancies', component: () => import('./pages/Tenancies.vue') },
    { path: '/requests', component: () => import('./pages/Requests.vue') },
    { path: '/requests/:id', component: () => import('./pages/Request.vue'), props: true },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async to => {
  if (to.meta.public) return true
  if (!auth.token) return { path: '/signin', query: { next: to.fullPath } }
  if (!session.me) {
    try { await loadSession() } catch { return { path: '/signin', query: { next: to.fullPath } } }
  }
  if (session.me.role === 'tenant') { window.location.href = '/m/'; return false }
  if (to.meta.roles && !to.meta.roles.includes(session.me.role)) return { path: '/forbidden', query: { from: to.path } }
  return true
})
