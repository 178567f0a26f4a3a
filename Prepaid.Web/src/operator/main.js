import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from '../shared/i18n.js'
import { operatorMessages } from './messages.js'
import './operator.css'

for (const [locale, messages] of Object.entries(operatorMessages)) i18n.global.mergeLocaleMessage(locale, messages)
document.documentElement.lang = i18n.global.locale.value

createApp(App).use(ElementPlus).use(i18n).use(router).mount('#app')
