import { createRouter, createWebHistory } from 'vue-router'
import { auth } from '../shared/api.js'

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/signin', component: () => import('./pages/SignIn.vue'), meta: { public: true } },
    { path: '/', component: () => import('./pages/Overview.vue') },
    { path: '/meters', component: () => import('./pages/Meters.vue') },
    { path: '/meters/:id', component: () => import('./pages/MeterDetail.vue'), props: true },
    { path: '/readings/import', component: () => import('./pages/ImportReadings.vue') },
    { path: '/accounts/:id', component: () => import('./pages/Account.vue'), props: true },
    { path: '/topup', component: () => import('./pages/TopUp.vue') },
    { path: '/open', component: () => import('./pages/OpenAccount.vue') },
    { path: '/tariffs', component: () => import('./pages/Tariffs.vue') },
    { path: '/apportionments', component: () => import('./pages/Apportionments.vue') },
    { path: '/alarms', component: () => import('./pages/Alarms.vue') },
    { path: '/reports', component: () => import('./pages/Reports.vue') },
    { path: '/users', component: () => import('./pages/Users.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.beforeEach(to => (!to.meta.public && !auth.token ? { path: '/signin', query: { next: to.fullPath } } : true))
