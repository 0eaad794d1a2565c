import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = `http://localhost:${process.env.API_PORT ?? '3000'}`;

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
  build: { outDir: here('../../dist/dashboard'), emptyOutDir: true, sourcemap: true },
  server: {
    port: 5173,
    proxy: { '/api': api, '/socket.io': { target: api, ws: true } },
  },
});
