import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = `http://localhost:${process.env.API_PORT ?? '3000'}`;

/**
 * The patient's phone must come back after a reload with no network mid-session: a Workbox
 * service worker precaches the built static files (and nothing else) and answers navigations
 * with index.html; the outbox and the last session summary are already kept in IndexedDB and
 * localStorage. No runtime caching at all: API answers carry health data and are `no-store`,
 * and /api and /socket.io never get the index.html fallback.
 *
 * registerType 'prompt' with no prompt shown: a new version waits until every tab of the app is
 * closed instead of reloading open pages, because a reload takes a clinician's board out of the
 * page's audio permission (alarms) and a patient out of a form.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  // An external registerSW.js: the CSP allows no inline script.
  injectRegister: 'script',
  manifest: {
    id: '/patient',
    name: 'Vigil',
    short_name: 'Vigil',
    description: 'Check-ins and help during a supervised ketamine session at home',
    start_url: '/patient',
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0b1f33',
    icons: [
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    navigateFallback: '/index.html',
    navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/socket\.io(\/|$)/],
    runtimeCaching: [],
    cleanupOutdatedCaches: true,
    // Workbox only warns when it leaves a file over the limit out of the precache; the main
    // bundle (about 1 MiB) must never be the one left out as it grows.
    maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
  },
});

/** The web app: built into dist/dashboard and served by the API; Vite serves it in development. */
export default defineConfig({
  root: here('.'),
  resolve: {
    alias: {
      '@vigil/contracts': here('../../libs/contracts/src/index.ts'),
      '@vigil/clinical': here('../../libs/clinical/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [pwa],
  build: { outDir: here('../../dist/dashboard'), emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': api, '/socket.io': { target: api, ws: true } },
  },
});
