import { createApp } from 'vue'
import Vant from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { i18n } from '../shared/i18n.js'

createApp(App).use(Vant).use(i18n).mount('#app')
