import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/request-context';
import { prepared, queryPrepared } from '../../common/prepared-statements';
import { chainBodyParts, storedDetail, type ChainedContent } from './audit-hash';
import { patientOfSession } from './audit-trail.repository';

export type AuditOutcome = 'success' | 'denied' | 'error';

/**
 * What a caller records: the chain's content (audit-hash.ts) less what the append assigns (seq,
 * at), with the source IP as `ip` and the detail as given (the append stores what jsonb reads).
 */
export type AuditEntry = Omit<ChainedContent, 'seq' | 'at' | 'outcome' | 'sourceIp' | 'detail'> & {
  outcome: AuditOutcome;
  ip: string | null;
  detail?: Record<string, unknown>;
};

export function auditFrom(
  ctx: Pick<RequestContext, 'ip' | 'userAgent' | 'requestId'> & {
    user: { id: string; role: string } | null;
  },
  fields: Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'patientId' | 'outcome'> & {
    detail?: Record<string, unknown>;
  },
): AuditEntry {
  return {
    actorId: ctx.user?.id ?? null,
    actorRole: ctx.user?.role ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    ...fields,
    // Ties the audit row to the request's log lines (X-Request-Id).
    ...(ctx.requestId ? { detail: { ...fields.detail, requestId: ctx.requestId } } : {}),
  };
}

/**
 * The patients a list read showed, for its row's `detail.patientIds` (hashed with the row like
 * any detail): the audit log's patient filter and a session's FHIR trail find the read by it
 * (GIN index, migration 1764190130000), so a dashboard's list every 15 s costs one row, not one
 * per patient. Once each, in order, lower case as `patient_id` is stored.
 */
export function patientsShown(ids: Iterable<string | null>): string[] {
  const shown = new Set<string>();
  for (const id of ids) if (id) shown.add(id.toLowerCase());
  return [...shown].sort();
}

const USER_AGENT_MAX = 512;

/**
 * The append, one statement parsed once per connection (common/prepared-statements.ts):
 * `vigil_audit_append` (migration 1764190070000) locks the chain's head, chains the rows, inserts
 * them and moves the head, so the head's lock is held from this statement to COMMIT only.
 */
const APPEND = prepared(
  'vigil_audit_append',
  `SELECT vigil_audit_append($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[],
     $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[],
     $13::jsonb[])`,
);

/** The content's columns as APPEND takes them, $4 to $12 (the parts are $1-$3, the detail $13). */
const APPEND_COLUMNS = [
  'actorId',
  'actorRole',
  'action',
  'entityType',
  'entityId',
  'patientId',
  'outcome',
  'sourceIp',
  'userAgent',
] as const;

/**
 * The audit trail is append-only and hash-chained: this service has an insert path and no other,
 * the database refuses UPDATE, DELETE and TRUNCATE on the table, and each row's hash covers its
 * content and the previous row's hash. Callers pass their transaction's manager so the audit row
 * commits with the action it records.
 *
 * Appends are serialised on the single row of `audit_chain_head` (locked until the caller's
 * transaction ends), so seq and prev_hash are linear whatever the concurrency. One lock per
 * append, not per row: a group-committed batch of submissions appends all its rows at once, in
 * the last statement before COMMIT.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    if (manager) return this.appendWithin(manager, entries);
    // A lone audit row still needs its own transaction: the head lock must last until commit.
    await this.dataSource.transaction((m) => this.appendWithin(m, entries));
  }

  private async appendWithin(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
    const { parts, columns, details } = appendParams(entries);
    await queryPrepared(manager, APPEND, [...parts, ...columns, details]);
  }

  /**
   * The patient of a session, whoever asks, or null: so that the audit row of a refusal aimed at
   * the session names her (and is in her log), though the caller may not see the session.
   */
  patientOfSession(sessionId: string): Promise<string | null> {
    return patientOfSession(this.dataSource.manager, sessionId);
  }
}

/** APPEND's parameters: each row's canonical JSON in parts, its columns, its detail. */
function appendParams(entries: AuditEntry[]) {
  const rows = entries.map((e) => {
    const content: Omit<ChainedContent, 'seq' | 'at'> = {
      actorId: e.actorId?.toLowerCase() ?? null,
      actorRole: e.actorRole,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      patientId: e.patientId?.toLowerCase() ?? null,
      outcome: e.outcome,
      sourceIp: e.ip,
      userAgent: e.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      detail: storedDetail(e.detail),
    };
    return { content, parts: chainBodyParts(content) };
  });
  return {
    parts: (['beforeAt', 'beforeSeq', 'afterSeq'] as const).map((key) =>
      rows.map((r) => r.parts[key]),
    ),
    columns: APPEND_COLUMNS.map((key) => rows.map((r) => r.content[key])),
    details: rows.map((r) => JSON.stringify(r.content.detail)),
  };
}

/**
 * Stands in an entry's detail for the seq of the event it records until the database assigns it
 * (`vigil_append_group`, migration 1764190080000). Random per process, so no text a caller puts
 * in a detail can be taken for it.
 */
const EVENT_SEQ_MARK = `\u0001event-seq:${randomUUID()}`;

/**
 * The audit rows of events whose seq only the database will know, as `vigil_append_group` takes
 * them: `APPEND`'s parameters, with each row's part before the audit seq split around the event's
 * seq in `detail.seq` (before it, then after it), and the detail holding the mark where the seq
 * goes (the function sets it).
 */
export function auditParamsAwaitingEventSeq(entries: AuditEntry[]): {
  /** Each row's canonical JSON: before `at`, before the event's seq, before its own, after it. */
  parts: [string[], string[], string[], string[]];
  /** APPEND_COLUMNS, a list each. */
  columns: unknown[][];
  /** Each row's detail as JSON, the mark where the event's seq goes. */
  details: string[];
} {
  const { parts, columns, details } = appendParams(
    entries.map((e) => ({ ...e, detail: { ...e.detail, seq: EVENT_SEQ_MARK } })),
  );
  const [beforeAt, beforeSeq, afterSeq] = parts;
  const mark = JSON.stringify(EVENT_SEQ_MARK);
  const split = beforeSeq.map((part) => {
    const at = part.indexOf(mark);
    return [part.slice(0, at), part.slice(at + mark.length)];
  });
  return {
    parts: [beforeAt, split.map((s) => s[0]), split.map((s) => s[1]), afterSeq],
    columns,
    details,
  };
}
