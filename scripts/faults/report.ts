/** The fault suite's table: one row per scenario, printed as Markdown (docs/FAULTS.md). */

export interface Row {
  scenario: string;
  load: string;
  acked: number;
  stored: number;
  lost: number;
  duplicates: number;
  gaps: number;
  convergeS: string;
  recoveryS: string;
  crashes: number;
  note: string;
  pass: boolean;
}
export const rows: Row[] = [];

/** What a scenario's fault tells the runner once it has healed. */
export interface FaultOutcome {
  /** When the fault ended: recovery is counted from here. */
  healedAt: number;
  note?: string;
  /** Answers the scenario itself found wrong (a duplicate not answered as one). */
  wrong?: number;
}

/** main.ts's runner: load, the fault, load after it, then the checks, as one row of the table. */
export type Scenario = (
  name: string,
  fault: () => Promise<FaultOutcome>,
  opts?: { withLoad?: boolean },
) => Promise<void>;
export const fmt = (ms: number | null) => (ms === null ? 'never' : (ms / 1000).toFixed(1));

export function printTable(): void {
  const head = [
    'scenario',
    'load',
    'acked',
    'stored',
    'lost',
    'dup',
    'gaps',
    'converge s',
    'recovery s',
    'crashes',
    'ok',
  ];
  const body = rows.map((r) => [
    r.scenario,
    r.load,
    String(r.acked),
    String(r.stored),
    String(r.lost),
    String(r.duplicates),
    String(r.gaps),
    r.convergeS,
    r.recoveryS,
    String(r.crashes),
    r.pass ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log('');
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log('');
  for (const r of rows) if (r.note) console.log(`- ${r.scenario}: ${r.note}`);
}
