import { api } from '../shared/api.js'

// Paying from the phone: an order is made first (POST /api/accounts/{id}/payments), then the phone goes where the
// channel says. A phone browser pays by H5: Alipay wap (a signed redirect) or WeChat Pay H5 (h5_url, which brings the
// payer back to redirect_url); inside WeChat, JSAPI needs the payer's openid and hands the signed parameters to
// WeixinJSBridge. In the demo the fake gateways have no app of their own: their confirm page plays it and leads back.

const PENDING = 'prepaid.pendingPayment'

export const inWeChat = () => /MicroMessenger/i.test(navigator.userAgent)

/** An amount as the API takes it: up to two decimals, 0.01 to 1,000,000.00 (checked again by the server). */
export function validAmount(text) {
  const t = String(text ?? '').trim()
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(t)) return null
  const [whole, fraction = ''] = t.split('.')
  const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'))
  if (fen < 1n || fen > 100000000n) return null
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`
}

function methodFor(channel) {
  if (channel === 'alipay') return { method: 'wap' }
  const openId = sessionStorage.getItem('prepaid.openid')
  return inWeChat() && openId && window.WeixinJSBridge ? { method: 'jsapi', openId } : { method: 'h5' }
}

function invokeJsapi(p) {
  return new Promise(resolve => window.WeixinJSBridge.invoke('getBrandWCPayRequest', {
    appId: p.appId, timeStamp: p.timeStamp, nonceStr: p.nonceStr, package: p.package, signType: p.signType, paySign: p.paySign,
  }, res => resolve(res?.err_msg)))
}

/** Starts a payment; resolves with the order's number once the phone is on its way (or back, for JSAPI). */
export async function startPayment(accountId, amount, channel) {
  const returnUrl = `${window.location.origin}/m/?account=${accountId}`
  const order = await api(`/api/accounts/${accountId}/payments`, {
    method: 'POST', body: { amount, channel, ...methodFor(channel), returnUrl },
  })
  localStorage.setItem(PENDING, JSON.stringify({ accountId, outTradeNo: order.outTradeNo, amount, channel }))
  if (order.demoConfirmUrl) window.location.assign(order.demoConfirmUrl)
  else if (order.jsapi) await invokeJsapi(order.jsapi)
  else if (order.redirectUrl) window.location.assign(order.redirectUrl)
  return order.outTradeNo
}

/** The payment the phone came back from: the order's number in the address (return_url/redirect_url) or the one it left for. */
export function returnedPayment() {
  const q = new URLSearchParams(window.location.search)
  const saved = JSON.parse(localStorage.getItem(PENDING) || 'null')
  const fromUrl = q.get('outTradeNo') || q.get('out_trade_no')
  const outTradeNo = fromUrl || saved?.outTradeNo
  const accountId = Number(q.get('account')) || saved?.accountId
  if (!outTradeNo || !accountId) return null
  // Back by the channel's way (the number in the address): wait for the result. Back by hand: look once.
  return { accountId, outTradeNo, fromUrl: Boolean(fromUrl) }
}

export function forgetPayment() {
  localStorage.removeItem(PENDING)
  const url = new URL(window.location.href)
  for (const k of [...url.searchParams.keys()]) url.searchParams.delete(k)
  window.history.replaceState(null, '', url.pathname)
}

/** Polls the order until the channel's notification (or the query job) marks it paid, or the time is up. */
export async function waitUntilPaid(accountId, outTradeNo, { every = 1000, tries = 60 } = {}) {
  for (let i = 0; i < tries; i++) {
    const order = await api(`/api/accounts/${accountId}/payments/${outTradeNo}`)
    if (order.state !== 'pending') return order
    await new Promise(r => setTimeout(r, every))
  }
  return null
}
