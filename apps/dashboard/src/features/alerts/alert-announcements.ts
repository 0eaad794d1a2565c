import { PRIORITY_LABEL } from './alert-logic';
import type { SessionAlert } from './useAnnunciation';

/** What the screen reader should say, split by how urgently it should interrupt. */
export interface Announcement {
  /** High alerts: read at once (aria-live="assertive"). */
  assertive: string;
  /** Medium alerts: read when the reader is idle (aria-live="polite"). */
  polite: string;
}

const MAX_LISTED = 3;

function sentence(a: SessionAlert, names: ReadonlyMap<string, string>): string {
  const who = names.get(a.sessionId) ?? 'a patient';
  const again = a.alert.annunciation > 1 ? ' again' : '';
  return `${PRIORITY_LABEL[a.alert.priority]} alert${again} for ${who}: ${a.alert.message}.`;
}

function join(list: readonly SessionAlert[], names: ReadonlyMap<string, string>): string {
  const said = list.slice(0, MAX_LISTED).map((a) => sentence(a, names));
  if (list.length > MAX_LISTED) said.push(`And ${list.length - MAX_LISTED} more.`);
  return said.join(' ');
}

/**
 * The alerts to announce: open high and medium ones not announced before (keyed like the sound,
 * by id and annunciation, so a reopened or risen alert is news again; a value-only update is
 * not). `announced` is updated in place. A burst (sign-in, reconnect) is said in one breath,
 * at most three alerts by name.
 */
export function nextAnnouncement(
  alerts: readonly SessionAlert[],
  names: ReadonlyMap<string, string>,
  announced: Set<string>,
): Announcement | null {
  const fresh = alerts.filter(({ alert }) => {
    if (alert.status !== 'open') return false;
    if (alert.priority !== 'high' && alert.priority !== 'medium') return false;
    const key = `${alert.id}:${alert.annunciation}`;
    if (announced.has(key)) return false;
    announced.add(key);
    return true;
  });
  if (fresh.length === 0) return null;
  return {
    assertive: join(
      fresh.filter((a) => a.alert.priority === 'high'),
      names,
    ),
    polite: join(
      fresh.filter((a) => a.alert.priority === 'medium'),
      names,
    ),
  };
}
