import { appendFileSync } from 'node:fs';

/**
 * Counts a security spec hands to `npm run test:security` (scripts/security.mjs prints them as a
 * table): one JSON line per check in the file named by SECURITY_REPORT, when it is set.
 */
export function report(line: {
  check: string;
  inputs: number;
  payloads: number;
  fiveXx: number;
  crashes: number;
  leaks: number;
  detail?: string;
}): void {
  const file = process.env.SECURITY_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Payloads per input: 10,000 in the full run, fewer in the short one (and in npm test). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 25);
