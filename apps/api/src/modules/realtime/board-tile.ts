import { checkInMadeAt, type BoardSummary, type SessionEvent } from '@vigil/contracts';
import type { BoardSeed } from './board.repository';

const PRIORITY_ORDER = ['high', 'medium', 'low', 'info'];

/**
 * A reading ranks by when it was measured, but never later than its commit: a device clock far
 * ahead (year 9999) must not pin a tile while newer readings arrive. A late upload of an older
 * reading still does not replace a newer one.
 */
export function readingRank(measuredAt: string, committedAt: string): number {
  const measured = Date.parse(measuredAt);
  const committed = Date.parse(committedAt);
  return Number.isNaN(measured) ? committed : Math.min(measured, committed);
}

/**
 * One session's tile as this instance knows it. Its news comes in any order: the events this
 * instance commits, those relayed from the others (a session's phone on one instance, its
 * watchdog or a clinician's REST call on another), and a seed read from the database. So every
 * part keeps what decides between two versions of it: an alert the seq of its last known change
 * (a resolved one is remembered, so an older raise arriving late does not reopen it), presence
 * its seq, a reading its rank and seq, the last check-in its time.
 */
export class BoardTile {
  readonly summary: BoardSummary;
  /** alertId -> its priority (null: resolved) as of the seq of its last known change. */
  private readonly alerts = new Map<string, { priority: string | null; seq: number }>();
  private readonly shown = new Map<string, { rank: number; seq: number }>();
  private presenceSeq = 0;
  private messageSeq = 0;
  /** The head the seed was read at (null: not yet seeded); it knows every alert up to there. */
  private seededSeq: number | null = null;

  constructor(sessionId: string) {
    this.summary = {
      sessionId,
      state: 'unknown',
      headSeq: 0,
      latestVitals: {},
      lastCheckInAt: null,
      openAlertPriority: null,
      presence: 'unknown',
      patientMessageAt: null,
    };
  }

  get seeded(): boolean {
    return this.seededSeq !== null;
  }

  apply(event: SessionEvent): void {
    const s = this.summary;
    if (event.seq > s.headSeq) s.headSeq = event.seq;
    switch (event.type) {
      case 'vitals.recorded':
        for (const r of event.data.readings)
          this.show(r.kind, r.value, r.measuredAt, readingRank(r.measuredAt, event.at), event.seq);
        break;
      case 'checkin.recorded':
        // When it was made (v1.10: arrival less its wait on the phone), as the engine counts it.
        this.checkedIn(new Date(checkInMadeAt(event.at, event.data)).toISOString());
        break;
      // The flush sends the state it reads from the database.
      case 'session.state_changed':
        s.state = event.data.to;
        break;
      case 'presence.changed':
        if (event.seq > this.presenceSeq) {
          s.presence = event.data.presence;
          this.presenceSeq = event.seq;
        }
        break;
      // An update carries the alert's priority now: a rise, or an episode reopened after an
      // auto-resolve (open again on the tile).
      case 'alert.raised':
      case 'alert.updated':
      case 'alert.escalated':
        if (event.data.priority) this.alert(event.data.alertId, event.data.priority, event.seq);
        break;
      case 'alert.resolved':
        this.alert(event.data.alertId, null, event.seq);
        break;
      case 'message.sent':
        this.messaged(event.data.fromRole, event.at, event.seq);
        break;
      // Not on the tile (the session view shows them), or shown once the alert resolves.
      case 'help.requested':
      case 'alert.acknowledged':
      case 'alert.silenced':
      case 'note.added':
      case 'screening.submitted':
      case 'protocol.overridden':
        break;
    }
  }

  /**
   * Merges what the database held at `seed.headSeq`. An alert it does not list as open was
   * resolved by then (or never raised), so only what was observed after that head stands
   * against it; an older seed than the one taken brings nothing new.
   */
  seed(seed: BoardSeed): void {
    if (this.seededSeq !== null && seed.headSeq <= this.seededSeq) return;
    this.seededSeq = seed.headSeq;
    const s = this.summary;
    s.headSeq = Math.max(s.headSeq, seed.headSeq);
    for (const [id, known] of this.alerts) if (known.seq <= seed.headSeq) this.alerts.delete(id);
    for (const { id, priority } of seed.openAlerts)
      if (!this.alerts.has(id)) this.alerts.set(id, { priority, seq: seed.headSeq });
    s.openAlertPriority = this.highestOpen();
    if (this.presenceSeq < seed.headSeq) {
      s.presence = seed.presence;
      this.presenceSeq = seed.headSeq;
    }
    if (seed.lastCheckInAt !== null) this.checkedIn(new Date(seed.lastCheckInAt).toISOString());
    if (seed.lastMessage)
      this.messaged(
        seed.lastMessage.fromRole,
        new Date(seed.lastMessage.at).toISOString(),
        seed.lastMessage.seq,
      );
    for (const latest of seed.readings)
      for (const r of latest.readings)
        if (r.kind === latest.kind)
          this.show(
            r.kind,
            r.value,
            r.measuredAt,
            readingRank(r.measuredAt, latest.at),
            latest.seq,
          );
  }

  /** The later of two equal ranks is the later event, so the order they arrive in does not matter. */
  private show(kind: string, value: number, measuredAt: string, rank: number, seq: number): void {
    const shown = this.shown.get(kind);
    if (shown && (rank < shown.rank || (rank === shown.rank && seq < shown.seq))) return;
    if (shown) {
      shown.rank = rank;
      shown.seq = seq;
    } else this.shown.set(kind, { rank, seq });
    this.summary.latestVitals[kind] = { value, measuredAt };
  }

  /** The session's last message decides: the patient's waits for an answer until one comes. */
  private messaged(fromRole: string, at: string, seq: number): void {
    if (seq <= this.messageSeq) return;
    this.messageSeq = seq;
    this.summary.patientMessageAt = fromRole === 'patient' ? at : null;
  }

  private checkedIn(at: string): void {
    const last = this.summary.lastCheckInAt;
    if (last === null || Date.parse(at) > Date.parse(last)) this.summary.lastCheckInAt = at;
  }

  private alert(alertId: string, priority: string | null, seq: number): void {
    if (seq <= (this.alerts.get(alertId)?.seq ?? this.seededSeq ?? 0)) return;
    this.alerts.set(alertId, { priority, seq });
    this.summary.openAlertPriority = this.highestOpen();
  }

  private highestOpen(): string | null {
    let best: number | null = null;
    for (const { priority } of this.alerts.values()) {
      const rank = priority === null ? -1 : PRIORITY_ORDER.indexOf(priority);
      if (rank >= 0 && (best === null || rank < best)) best = rank;
    }
    return best === null ? null : PRIORITY_ORDER[best];
  }
}
