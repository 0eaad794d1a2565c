import type { SessionEvent } from '@vigil/contracts';

/** How far a replay has got: every event committed at or before the cursor time. */
export function eventsUpTo(events: readonly SessionEvent[], cursorMs: number): SessionEvent[] {
  // Events are in seq order and `at` is the commit time, so the cut is a prefix.
  const cut = events.findIndex((e) => Date.parse(e.at) > cursorMs);
  return cut === -1 ? [...events] : events.slice(0, cut);
}

export function timeRange(events: readonly SessionEvent[]): { start: number; end: number } | null {
  if (events.length === 0) return null;
  return { start: Date.parse(events[0].at), end: Date.parse(events[events.length - 1].at) };
}

const num = (v: unknown) => (typeof v === 'number' ? String(v) : '?');

/** One line per event, naming what happened in the words a supervisor reads a record in. */
export function describeEvent(e: SessionEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'vitals.recorded':
      return (Array.isArray(d.readings) ? (d.readings as Array<Record<string, unknown>>) : [])
        .map((r) => `${String(r.kind)} ${num(r.value)}`)
        .join(', ');
    case 'checkin.recorded':
      return ['moaas', 'dissociation', 'nausea', 'anxiety']
        .filter((k) => typeof d[k] === 'number')
        .map((k) => `${k === 'moaas' ? 'MOAA/S' : k} ${num(d[k])}`)
        .concat(
          Array.isArray(d.symptoms) && d.symptoms.length
            ? [`symptoms: ${d.symptoms.join(', ')}`]
            : [],
        )
        .join(', ');
    case 'session.state_changed': {
      const why = typeof d.reason === 'string' ? ` (${d.reason})` : '';
      return `${String(d.from)} → ${String(d.to)}${why}`;
    }
    case 'alert.raised':
    case 'alert.escalated':
      return `${String(d.priority)}: ${String(d.message)}`;
    case 'alert.updated':
      return describeUpdate(d);
    case 'alert.resolved': {
      const why = typeof d.reason === 'string' ? `, ${d.reason}` : '';
      const how = d.auto === true ? ' automatically' : '';
      return `${String(d.condition)} (${String(d.priority)})${how}${why}`;
    }
    case 'alert.acknowledged':
    case 'alert.silenced':
      return `${String(d.condition)} (${String(d.priority)})`;
    case 'screening.submitted': {
      const gate = d.gate as { status?: string } | undefined;
      return `BP ${num(d.sbp)}/${num(d.dbp)}, gate ${gate?.status ?? '?'}`;
    }
    case 'help.requested':
      return 'Help button pressed';
    case 'presence.changed':
      return typeof d.status === 'string' ? d.status : '';
    default:
      return '';
  }
}

/** v1.1: what changed on an existing alert, and whether it was announced again. */
function describeUpdate(d: Record<string, unknown>): string {
  const head = `${String(d.priority)}: ${String(d.message)}`;
  const notes: string[] = [];
  if (d.reopened === true) notes.push('reopened');
  if (d.reason === 'priority' && typeof d.previousPriority === 'string')
    notes.push(`raised from ${d.previousPriority}`);
  if (d.reason === 'repeated' && typeof d.count === 'number') notes.push(`${d.count} times`);
  return notes.length > 0 ? `${head} (${notes.join(', ')})` : head;
}
