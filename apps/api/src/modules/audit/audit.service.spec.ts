import { canonicalJson } from '../../common/canonical-json';
import { CHAIN_VERSION } from './audit-hash';
import { auditParamsAwaitingEventSeq, type AuditEntry } from './audit.service';

const entry: AuditEntry = {
  actorId: '0B9F3C1E-6A1D-4C55-9A1E-2F9D7C1B5A10',
  actorRole: 'patient',
  action: 'checkin.submit',
  entityType: 'session',
  entityId: 'he said "seq":1, "stop"',
  patientId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
  outcome: 'success',
  ip: '10.0.0.7',
  userAgent: 'Mozilla/5.0 (ünïcode ✓)',
  detail: { requestId: 'r-1', zeta: { seq: 3 }, alpha: [1, 'x'] },
};

describe('auditParamsAwaitingEventSeq', () => {
  it("gives, in four parts around at, the event's seq and the audit seq, exactly the canonical JSON of the row with that seq in its detail", () => {
    const {
      parts: [beforeAt, beforeEventSeq, beforeSeq, afterSeq],
      details,
    } = auditParamsAwaitingEventSeq([entry, { ...entry, detail: undefined }]);
    const at = '2026-12-05T10:00:00.123456Z';
    for (const [i, detail] of [entry.detail, {}].entries()) {
      const eventSeq = 41 + i;
      const auditSeq = 9_007_199_254 + i;
      // What vigil_append_group and vigil_audit_append concatenate in the database.
      const body = `${beforeAt[i]}"${at}"${beforeEventSeq[i]}${eventSeq}${beforeSeq[i]}${auditSeq}${afterSeq[i]}`;
      expect(body).toBe(
        canonicalJson({
          v: CHAIN_VERSION,
          seq: auditSeq,
          at,
          actorId: entry.actorId!.toLowerCase(),
          actorRole: entry.actorRole,
          action: entry.action,
          entityType: entry.entityType,
          entityId: entry.entityId,
          patientId: entry.patientId,
          outcome: entry.outcome,
          sourceIp: entry.ip,
          userAgent: entry.userAgent,
          detail: { ...detail, seq: eventSeq },
        }),
      );
      // The stored detail holds the mark at `seq`, which the database replaces (jsonb_set).
      const stored = JSON.parse(details[i]) as Record<string, unknown>;
      expect({ ...stored, seq: eventSeq }).toEqual({ ...detail, seq: eventSeq });
      expect(typeof stored.seq).toBe('string');
    }
  });
});
