import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export type Impact = 'critical' | 'serious' | 'moderate' | 'minor';
export const IMPACTS: Impact[] = ['critical', 'serious', 'moderate', 'minor'];

export interface AxeRow {
  page: string;
  counts: Record<Impact, number>;
  /** Rule ids by impact, for the failure message: e.g. "serious: aria-hidden-focus (3)". */
  rules: string[];
}

interface AxeViolation {
  id: string;
  impact: Impact | null;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * Runs axe-core (WCAG 2.0-2.2 A and AA, plus best practices) on what the page shows now.
 * Counts violations per impact (each rule once, however many elements it hits), as axe reports.
 */
export async function runAxe(page: Page, name: string): Promise<AxeRow> {
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // Runs in the page: globalThis is its window (test/ has no DOM types).
    const w = globalThis as unknown as {
      document: unknown;
      axe: { run: (ctx: unknown, opts: object) => Promise<{ violations: unknown[] }> };
    };
    const result = await w.axe.run(w.document, { resultTypes: ['violations'] });
    return result.violations;
  });
  const counts: Record<Impact, number> = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const rules: string[] = [];
  for (const v of violations as AxeViolation[]) {
    const impact = v.impact ?? 'minor';
    counts[impact] += 1;
    rules.push(`${impact}: ${v.id} (${v.nodes.length}) e.g. ${JSON.stringify(v.nodes[0]?.target)}`);
  }
  return { page: name, counts, rules };
}

/** The table the issue asks for: page, critical, serious, moderate, minor. */
export function axeTable(rows: readonly AxeRow[]): string {
  const width = Math.max(4, ...rows.map((r) => r.page.length));
  const line = (cells: string[]) =>
    `| ${cells[0].padEnd(width)} | ${cells
      .slice(1)
      .map((c) => c.padStart(8))
      .join(' | ')} |`;
  return [
    line(['page', ...IMPACTS]),
    `| ${'-'.repeat(width)} | ${IMPACTS.map(() => '-------:').join(' | ')} |`,
    ...rows.map((r) => line([r.page, ...IMPACTS.map((i) => String(r.counts[i]))])),
  ].join('\n');
}
