// The Vant components the phone page uses, each with its own styles: importing all of Vant (and its whole
// stylesheet) made the phone page's first load several times larger.
import { Button, Cell, CellGroup, Empty, Field, Form, Loading, NavBar, NoticeBar, Popup, Tab, Tabs, Tag } from 'vant'
import 'vant/es/button/style/index.mjs'
import 'vant/es/cell/style/index.mjs'
import 'vant/es/cell-group/style/index.mjs'
import 'vant/es/empty/style/index.mjs'
import 'vant/es/field/style/index.mjs'
import 'vant/es/form/style/index.mjs'
import 'vant/es/loading/style/index.mjs'
import 'vant/es/nav-bar/style/index.mjs'
import 'vant/es/notice-bar/style/index.mjs'
import 'vant/es/popup/style/index.mjs'
import 'vant/es/tab/style/index.mjs'
import 'vant/es/tabs/style/index.mjs'
import 'vant/es/tag/style/index.mjs'
import 'vant/es/toast/style/index.mjs'

export function useVant(app) {
  for (const c of [Button, Cell, CellGroup, Empty, Field, Form, Loading, NavBar, NoticeBar, Popup, Tab, Tabs, Tag]) app.use(c)
  return app
}
