import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { resolve, join } from 'node:path'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { brotliCompressSync, gzipSync, constants } from 'node:zlib'

// Every text file of the build also as .br (Brotli, best) and .gz (gzip -9), made once here so that Prepaid.Api
// serves them as they are (WebApp/WebAppHosting.cs) instead of compressing on each request.
function precompress() {
  const compressible = /\.(js|mjs|css|html|svg|json|txt|map)$/
  const walk = dir => readdirSync(dir).flatMap(n => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
  return {
    name: 'prepaid-precompress',
    apply: 'build',
    closeBundle() {
      const outDir = resolve(import.meta.dirname, 'dist')
      for (const file of walk(outDir).filter(f => compressible.test(f))) {
        const raw = readFileSync(file)
        if (raw.length < 512) continue
        const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        const gz = gzipSync(raw, { level: 9 })
        if (br.length < raw.length) writeFileSync(`${file}.br`, br)
        if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz)
      }
    },
  }
}

// Two pages: the operator dashboard (/) and the tenant's phone page (/m/). Prepaid.Api serves dist/.
export default defineConfig({
  plugins: [vue(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), m: resolve(import.meta.dirname, 'm/index.html') },
    },
  },
  server: {
    // `npm run dev` against a running API on :5000
    proxy: { '/api': 'http://localhost:5000', '/hubs': { target: 'http://localhost:5000', ws: true } },
  },
})
