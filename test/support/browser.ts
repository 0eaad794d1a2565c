import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(__dirname, '../../test-results/screenshots');

/**
 * Builds the dashboard once per run if it is missing (or predates the service worker), so the
 * API under test serves it: the production build, as `npm run build` makes it.
 */
export function ensureDashboardBuilt(): string {
  const dist = resolve(__dirname, '../../dist/dashboard');
  const built = ['index.html', 'sw.js'].every((f) => existsSync(resolve(dist, f)));
  if (!built || process.env.REBUILD_DASHBOARD === '1') {
    execFileSync(
      process.execPath,
      [
        resolve(__dirname, '../../node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/dashboard/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      {
        cwd: resolve(__dirname, '../..'),
        stdio: 'inherit',
        // Jest sets NODE_ENV=test, which gave dist/dashboard React's development build: the
        // browser tests then ran another bundle than operators serve, and a bench:board after
        // them measured it (five times the script time, 128 long tasks).
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  }
  return dist;
}

/** Debian's Chromium, headless, with the flags this sandbox needs (no downloads, no sandbox as root). */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function loginAs(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The whole page unless `fullPage: false` (a 200-tile board is unreadable shrunk to one picture). */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<string> {
  const path = resolve(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
