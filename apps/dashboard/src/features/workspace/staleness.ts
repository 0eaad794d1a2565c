/** A value older than this is stale: it is shown with its age and marked, never as live. */
export const STALE_AFTER_MS = 60_000;

export function ageMs(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // A phone clock slightly ahead of ours must not show a negative age.
  return Math.max(0, now - t);
}

export function isStale(iso: string | null | undefined, now: number): boolean {
  const age = ageMs(iso, now);
  return age === null || age > STALE_AFTER_MS;
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

/** Wall-clock hh:mm in the clinician's locale, 24 h. */
export function formatClock(iso: string | number): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

export function minutesBetween(fromIso: string | null, now: number): number | null {
  if (!fromIso) return null;
  const t = Date.parse(fromIso);
  return Number.isNaN(t) ? null : Math.floor((now - t) / 60_000);
}
