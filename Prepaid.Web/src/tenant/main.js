import { createApp } from 'vue'
import App from './App.vue'
import { useVant } from './vant.js'
import { i18n } from '../shared/i18n.js'
import './tenant.css'

useVant(createApp(App)).use(i18n).mount('#app')
