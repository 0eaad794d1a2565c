import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
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
/**
 * The files a patient's phone needs, found in the built bundle: the entry chunk (the login page,
 * the router) with what it imports, and the /patient route's chunk (src/patient) with what it
 * imports, JS and CSS. The service worker precaches only these (and the non-asset files), so a
 * phone never downloads recharts, the board or the supervisor's pages; staff pages load from the
 * network when first opened, as any page did before the service worker.
 */
function phoneFiles(): { plugin: Plugin; files: Set<string> } {
  const files = new Set<string>();
  const plugin: Plugin = {
    name: 'vigil-phone-files',
    apply: 'build',
    generateBundle(_options, bundle) {
      files.clear();
      const chunks = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c]] : [])),
      );
      const add = (fileName: string) => {
        if (files.has(fileName)) return;
        files.add(fileName);
        const chunk = chunks.get(fileName);
        if (!chunk) return;
        chunk.viteMetadata?.importedCss.forEach((css) => files.add(css));
        chunk.imports.forEach(add);
      };
      const patient = [...chunks.values()].find((c) =>
        c.facadeModuleId?.endsWith('/src/patient/PatientRoute.tsx'),
      );
      if (!patient) throw new Error('vigil-phone-files: no chunk for src/patient/PatientRoute.tsx');
      add(patient.fileName);
      // The phone app lazy-loads nothing of its own today; if it ever does, precache that too.
      patient.dynamicImports.forEach(add);
      for (const chunk of chunks.values()) if (chunk.isEntry) add(chunk.fileName);
    },
  };
  return { plugin, files };
}
const phone = phoneFiles();

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
    // Workbox only warns when it leaves a file over the limit out of the precache; the phone's
    // bundle must never be the one left out as it grows.
    maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
    manifestTransforms: [
      (entries) => {
        if (phone.files.size === 0) throw new Error('vigil-phone-files ran after the precache');
        const manifest = entries.filter(
          (e) => !e.url.startsWith('assets/') || phone.files.has(e.url),
        );
        return { manifest, warnings: [] };
      },
    ],
  },
});

/** The web app: built into dist/dashboard and served by the API; Vite serves it in development. */
export default defineConfig({
  root: here('.'),
  resolve: {
    alias: {
      '@vigil/contracts': here('../../libs/contracts/src/index.ts'),
      '@vigil/clinical': here('../../libs/clinical/src/index.ts'),
      '@vigil/outbox': here('../../libs/outbox/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [phone.plugin, pwa],
  build: { outDir: here('../../dist/dashboard'), emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': api, '/socket.io': { target: api, ws: true } },
  },
});
