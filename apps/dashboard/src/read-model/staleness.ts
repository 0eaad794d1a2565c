import {
  DEFAULT_STALENESS_RULES,
  isValueStale,
  type StalenessContext,
  type StalenessRules,
  type StaleSubject,
} from '@vigil/clinical';
import type { SessionModel } from './session-model';

export function ageMs(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // A phone clock slightly ahead of ours must not show a negative age.
  return Math.max(0, now - t);
}

/**
 * Stale by the kind's own rule (libs/clinical staleness: streamed SpO2/HR 30 s, BP by the
 * schedule in force when it was taken plus 5 min, check-ins 15 + 5 min): a stale value is shown
 * with its age and marked, never as live.
 */
export function isStale(
  subject: StaleSubject,
  now: number,
  context: StalenessContext,
  rules: StalenessRules = DEFAULT_STALENESS_RULES,
): boolean {
  return isValueStale(subject, now, context, rules);
}

/** What the staleness rules need to know about the session: the dose and the pre-dose BP. */
export function stalenessContext(
  model: Pick<SessionModel, 'screening'>,
  dosedAt: string | null,
): StalenessContext {
  const s = model.screening;
  return { dosedAt, preDose: s ? { sbp: s.sbp ?? null, dbp: s.dbp ?? null } : null };
}

/** "8 s", "4 min", "2 h 05 min": short enough for a tile, exact enough to judge. */
export function formatAge(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

let clock: Intl.DateTimeFormat | null = null;
const formatted = new Map<string | number, string>();

/**
 * Wall-clock hh:mm in the clinician's locale, 24 h. One formatter for every call: toLocaleTimeString
 * with options builds a new one each time, which was the board's heaviest function at 200 sessions
 * (2.8 s of a 30 s CPU profile, every tile's check-in line on every render).
 */
export function formatClock(iso: string | number): string {
  // A board asks for the same few times (each tile's check-in due time) on every tick.
  let text = formatted.get(iso);
  if (text !== undefined) return text;
  // `hourCycle: 'h23'`, not `hour12: false`: in en-US that picks h24, where 00:05 is "24:05".
  clock ??= new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  text = clock.format(new Date(iso));
  if (formatted.size >= 1000) formatted.clear();
  formatted.set(iso, text);
  return text;
}

export function minutesBetween(fromIso: string | null, now: number): number | null {
  if (!fromIso) return null;
  const t = Date.parse(fromIso);
  return Number.isNaN(t) ? null : Math.floor((now - t) / 60_000);
}
