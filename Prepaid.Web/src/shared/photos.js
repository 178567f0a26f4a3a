import { api } from './api.js'

// Request photos: read on the phone into a data URL the API takes, and shown from an authenticated answer as a blob URL
// (an <img src> cannot send the bearer token).
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp']
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024
const LONG_SIDE = 1600

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result)
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(blob)
  })
}

/** A phone camera's photo of several MB is made smaller (JPEG, longest side 1600 px) before it is sent; a small one goes as it is. */
async function shrink(file) {
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close?.()
  return new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.85))
}

/** { url } to send, or { error } naming the i18n key of why not. */
export async function readPhoto(file) {
  if (!PHOTO_TYPES.includes(file.type)) return { error: 'helpdesk.photoType' }
  let blob = file
  if (file.size > 1024 * 1024) blob = (await shrink(file).catch(() => null)) || file
  if (blob.size > PHOTO_MAX_BYTES) return { error: 'helpdesk.photoTooBig' }
  return { url: await dataUrl(blob) }
}

/** A blob: URL of an authenticated image answer; revoke it when done. */
export async function photoUrl(path) {
  const res = await api(path, { raw: true })
  return URL.createObjectURL(await res.blob())
}

/** What the API said about a refused request, already in the caller's language: the first field error, else the title. */
export function refusal(e) {
  const errors = e?.problem?.errors
  const first = errors && Object.values(errors)[0]
  return (Array.isArray(first) ? first[0] : first) || e?.problem?.title || ''
}
