import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { OverrideInForce, SessionState, SessionSummary } from '@vigil/contracts';
import {
  DEFAULT_ORAL_PROTOCOL,
  isOverridableSetting,
  OVERRIDABLE_SETTINGS,
  settingEntry,
} from '@vigil/clinical';
import { CLOCK, type Clock } from '../../common/clock';
import type { AuthUser } from '../../common/request-context';

export interface SessionRow {
  id: string;
  state: SessionState;
  scheduled_for: Date | null;
  dosed_at: Date | null;
  ended_at: Date | null;
  head_seq: string;
  patient_id: string;
  patient_user_id: string;
  patient_name: string;
  clinician_id: string;
  clinician_name: string;
  protocol_id: string;
  protocol_name: string;
  protocol_version: number;
  /** Absent where a query does not select it (history lists): read as none. */
  overrides?: Array<{ setting: string; value: number }>;
}

const SELECT_SESSION = `
  SELECT s.id, s.state, s.scheduled_for, s.dosed_at, s.ended_at, s.head_seq,
         s.patient_id, p.user_id AS patient_user_id, pu.name AS patient_name,
         s.clinician_id, cu.name AS clinician_name,
         pr.id AS protocol_id, pr.name AS protocol_name, pr.version AS protocol_version,
         COALESCE((SELECT json_agg(json_build_object('setting', o.setting, 'value', o.value)
                                   ORDER BY o.setting)
                     FROM patient_protocol_overrides o
                    WHERE o.patient_id = s.patient_id AND o.cleared_at IS NULL), '[]') AS overrides
    FROM sessions s
    JOIN patients p ON p.id = s.patient_id
    JOIN users pu ON pu.id = p.user_id
    JOIN users cu ON cu.id = s.clinician_id
    JOIN protocols pr ON pr.id = s.protocol_id`;

/** A session's times as every answer gives them: ISO text, null for what has not happened. */
export function sessionTimes(row: Pick<SessionRow, 'scheduled_for' | 'dosed_at' | 'ended_at'>) {
  return {
    scheduledFor: row.scheduled_for?.toISOString() ?? null,
    dosedAt: row.dosed_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
  };
}

export function toSessionSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    patient: { id: row.patient_id, name: row.patient_name },
    clinician: { id: row.clinician_id, name: row.clinician_name },
    state: row.state,
    protocol: { id: row.protocol_id, name: row.protocol_name, version: row.protocol_version },
    ...sessionTimes(row),
    headSeq: Number(row.head_seq),
    overrides: overridesInForce(row.overrides ?? []),
  };
}

/** The overridable settings have the same default whatever the route (only the peak BP differs). */
export function overridesInForce(
  rows: ReadonlyArray<{ setting: string; value: number }>,
): OverrideInForce[] {
  return rows.flatMap(({ setting, value }) => {
    if (!isOverridableSetting(setting)) return [];
    const s = OVERRIDABLE_SETTINGS[setting];
    const defaultValue = settingEntry(DEFAULT_ORAL_PROTOCOL, setting).value;
    return [{ setting, label: s.label, unit: s.unit, value: Number(value), default: defaultValue }];
  });
}

/**
 * The one place that decides who may see a session: a patient their own; a clinician those of
 * patients assigned to them right now; a supervisor all. Every read path, REST or socket, asks
 * here, and the same rule is expressed once as SQL for lists.
 */
/** Sessions whose owner is remembered (about 100 bytes each). */
const OWNERS_CACHED = 20_000;

@Injectable()
export class SessionAccess {
  /**
   * Which patient a session belongs to never changes once the session exists, so a patient's
   * right to submit to it is decided by the database once per session and remembered (a bounded
   * map, oldest forgotten first): a 1 Hz phone no longer costs an access query per reading.
   * Whether the patient's login is still valid is the auth layer's question (token version,
   * logout and deactivation end the socket), not this one's. Clinicians' access depends on
   * assignments that change, so it is still read each time.
   */
  private readonly owners = new Map<string, { patientId: string; patientUserId: string }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * SQL predicate over `s` (sessions) and `p` (patients), with its parameters from `$offset`;
   * assignments are judged at `at` (now).
   */
  visibility(
    user: AuthUser,
    offset: number,
    at: Date = this.clock.now(),
  ): { sql: string; params: unknown[] } {
    switch (user.role) {
      case 'supervisor':
        return { sql: 'TRUE', params: [] };
      case 'patient':
        return { sql: `p.user_id = $${offset}`, params: [user.id] };
      case 'clinician':
        return {
          sql: `EXISTS (SELECT 1 FROM clinician_assignments a
                         WHERE a.clinician_id = $${offset} AND a.patient_id = s.patient_id
                           AND a.valid_from <= $${offset + 1}
                           AND (a.valid_until IS NULL OR a.valid_until > $${offset + 1}))`,
          params: [user.id, at],
        };
      default:
        return { sql: 'FALSE', params: [] };
    }
  }

  /** The session if it exists and the user may see it; null otherwise (the caller says 404). */
  async findVisible(
    user: AuthUser,
    sessionId: string,
    manager?: EntityManager,
    at?: Date,
  ): Promise<SessionRow | null> {
    const vis = this.visibility(user, 2, at);
    const rows: SessionRow[] = await (manager ?? this.dataSource.manager).query(
      `${SELECT_SESSION} WHERE s.id = $1 AND ${vis.sql}`,
      [sessionId, ...vis.params],
    );
    return rows[0] ?? null;
  }

  /**
   * For submissions: the session's patient id when the user may submit to it as far as seeing
   * it goes (the caller checks the role), else null. Same answer as findVisible, cheaper for the
   * patient's own phone (see `owners`).
   */
  async findSubmittable(user: AuthUser, sessionId: string): Promise<{ patient_id: string } | null> {
    if (user.role !== 'patient') return this.findVisible(user, sessionId);
    let owner = this.owners.get(sessionId);
    if (!owner) {
      const rows: Array<{ patient_id: string; user_id: string }> = await this.dataSource.query(
        `SELECT s.patient_id, p.user_id FROM sessions s JOIN patients p ON p.id = s.patient_id
          WHERE s.id = $1`,
        [sessionId],
      );
      if (!rows[0]) return null;
      owner = { patientId: rows[0].patient_id, patientUserId: rows[0].user_id };
      if (this.owners.size >= OWNERS_CACHED) {
        const oldest = this.owners.keys().next().value;
        if (oldest !== undefined) this.owners.delete(oldest);
      }
      this.owners.set(sessionId, owner);
    }
    return owner.patientUserId === user.id ? { patient_id: owner.patientId } : null;
  }

  /**
   * For many sessions at once (a board's watch list), by the same rule as findVisible: each
   * existing session's patient and whether the user may see it. Absent ids are not in the map.
   */
  async visibilityOf(
    user: AuthUser,
    sessionIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, { patientId: string; visible: boolean }>> {
    const vis = this.visibility(user, 2);
    const rows: Array<{ id: string; patient_id: string; visible: boolean }> = await (
      manager ?? this.dataSource.manager
    ).query(
      `SELECT s.id, s.patient_id, (${vis.sql}) AS visible
         FROM sessions s JOIN patients p ON p.id = s.patient_id
        WHERE s.id = ANY($1::uuid[])`,
      [sessionIds, ...vis.params],
    );
    return new Map(rows.map((r) => [r.id, { patientId: r.patient_id, visible: r.visible }]));
  }

  /** Whether the user may see the session now, or at `notBefore` if that is later. */
  async canSee(user: AuthUser, sessionId: string, notBefore?: Date): Promise<boolean> {
    const now = this.clock.now();
    const at = notBefore && notBefore > now ? notBefore : now;
    return (await this.findVisible(user, sessionId, undefined, at)) !== null;
  }

  async listVisible(
    user: AuthUser,
    states: readonly SessionState[] | null,
    manager?: EntityManager,
  ): Promise<SessionRow[]> {
    const params: unknown[] = [];
    let where = 'TRUE';
    if (states) {
      params.push(states);
      where = `s.state = ANY($1::text[])`;
    }
    const vis = this.visibility(user, params.length + 1);
    return (manager ?? this.dataSource.manager).query(
      `${SELECT_SESSION} WHERE ${where} AND ${vis.sql}
        ORDER BY s.dosed_at DESC NULLS LAST, s.scheduled_for DESC NULLS LAST, s.id`,
      [...params, ...vis.params],
    );
  }
}
