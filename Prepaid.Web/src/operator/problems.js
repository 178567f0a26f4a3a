import { reactive, ref } from 'vue'

/**
 * A problem answer (RFC 9457) for a form: each field's error beside its field, inside the dialog, and the title with
 * the errors no field shows in one alert. Field names are the API's JSON paths ("alarm1", "meters[0].tariffId").
 */
export function useProblem() {
  const fields = reactive({})
  const message = ref('')
  const shown = new Set()

  function clear() {
    for (const k of Object.keys(fields)) delete fields[k]
    message.value = ''
  }

  /** The error of a field (or of any of the names given), and remembers that the form shows it. */
  function field(...names) {
    for (const n of names) shown.add(n)
    for (const n of names) if (fields[n]) return fields[n]
    return ''
  }

  function take(e) {
    clear()
    const errors = e?.problem?.errors || {}
    for (const [k, v] of Object.entries(errors)) fields[k] = [].concat(v).join(' ')
    const rest = Object.entries(fields).filter(([k]) => !shown.has(k)).map(([k, v]) => `${k}: ${v}`)
    message.value = [e?.problem?.title || e?.message || String(e), ...rest].join(' — ')
  }

  return { fields, message, clear, take, field }
}
