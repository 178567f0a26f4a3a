import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

// Two pages: the operator dashboard (/) and the tenant's phone page (/m/). Prepaid.Api serves dist/.
export default defineConfig({
  plugins: [vue()],
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
