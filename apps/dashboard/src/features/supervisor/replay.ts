import type { SessionEvent, SessionEventData } from '@vigil/contracts';

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
  switch (e.type) {
    case 'vitals.recorded':
      return e.data.readings.map((r) => `${r.kind} ${num(r.value)}`).join(', ');
    case 'checkin.recorded': {
      const d = e.data;
      return (['moaas', 'dissociation', 'nausea', 'anxiety'] as const)
        .filter((k) => typeof d[k] === 'number')
        .map((k) => `${k === 'moaas' ? 'MOAA/S' : k} ${num(d[k])}`)
        .concat(d.symptoms?.length ? [`symptoms: ${d.symptoms.join(', ')}`] : [])
        .join(', ');
    }
    case 'session.state_changed': {
      const why = e.data.reason !== undefined ? ` (${e.data.reason})` : '';
      return `${String(e.data.from)} → ${e.data.to}${why}`;
    }
    case 'alert.raised':
    case 'alert.escalated':
      return `${String(e.data.priority)}: ${String(e.data.message)}`;
    case 'alert.updated':
      return describeUpdate(e.data);
    case 'alert.resolved': {
      const why = e.data.reason !== undefined ? `, ${e.data.reason}` : '';
      const how = e.data.auto === true ? ' automatically' : '';
      return `${String(e.data.condition)} (${String(e.data.priority)})${how}${why}`;
    }
    case 'alert.acknowledged':
    case 'alert.silenced':
      return `${String(e.data.condition)} (${String(e.data.priority)})`;
    case 'screening.submitted':
      return `BP ${num(e.data.sbp)}/${num(e.data.dbp)}, gate ${e.data.gate?.status ?? '?'}`;
    case 'help.requested':
      return 'Help button pressed';
    case 'presence.changed':
      return e.data.presence;
    // The text is in the page's Messages and Notes panels, as of the replay time: said once.
    case 'message.sent': {
      const from = e.data.fromRole === 'patient' ? 'Patient' : 'Care team';
      return `${from}${e.data.fromName ? ` · ${e.data.fromName}` : ''} (in Messages)`;
    }
    case 'note.added':
      return '(in Notes)';
    case 'protocol.overridden': {
      const to = e.data.value === null ? 'back to the default' : `set to ${e.data.value}`;
      return `${e.data.setting} ${to}`;
    }
  }
}

/** v1.1: what changed on an existing alert, and whether it was announced again. */
function describeUpdate(d: SessionEventData<'alert.updated'>): string {
  const head = `${d.priority}: ${d.message}`;
  const notes: string[] = [];
  if (d.reopened === true) notes.push('reopened');
  if (d.reason === 'priority') notes.push(`raised from ${d.previousPriority}`);
  if (d.reason === 'repeated' && typeof d.count === 'number') notes.push(`${d.count} times`);
  return notes.length > 0 ? `${head} (${notes.join(', ')})` : head;
}
