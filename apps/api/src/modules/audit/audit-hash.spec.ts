import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';
import { rowHashV1 } from '../../database/migrations/frozen/audit-chain-v1';
import { SAMPLE_V1_ROW } from '../../database/migrations/frozen/audit-chain-v1.sample';
import {
  CHAIN_VERSION,
  chainBodyParts,
  chainHash,
  contentOf,
  GENESIS_HASH,
  storedDetail,
  type ChainedContent,
} from './audit-hash';

const content: ChainedContent = {
  seq: 1,
  at: '2026-11-26T10:00:00.123456Z',
  actorId: null,
  actorRole: 'system',
  action: 'session.read',
  entityType: 'session',
  entityId: 's1',
  patientId: null,
  outcome: 'success',
  sourceIp: '127.0.0.1',
  userAgent: null,
  detail: { b: 1, a: [1, 'x'] },
};

describe('audit chain hash', () => {
  it('depends on every field, the seq and the previous hash, not on key order', () => {
    const h = chainHash(GENESIS_HASH, content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...content, detail: { a: [1, 'x'], b: 1 } })).toBe(h);
    expect(chainHash(GENESIS_HASH, { ...content, seq: 2 })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...content, at: '2026-11-26T10:00:00.123457Z' })).not.toBe(h);
    expect(chainHash('1'.repeat(64), content)).not.toBe(h);
    for (const key of Object.keys(content) as Array<keyof ChainedContent>) {
      if (key === 'seq' || key === 'detail') continue;
      expect(chainHash(GENESIS_HASH, { ...content, [key]: 'changed' })).not.toBe(h);
    }
  });

  it('gives, in three parts around at and seq, exactly the canonical JSON the hash covers', () => {
    const odd: ChainedContent = {
      ...content,
      seq: 9_007_199_254,
      actorId: '0b9f3c1e-6a1d-4c55-9a1e-2f9d7c1b5a10',
      actorRole: 'clinician',
      entityId: 'he said "stop",\n"at":"x"',
      patientId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
      outcome: 'denied',
      sourceIp: null,
      userAgent: 'Mozilla/5.0 (ünïcode ✓) "seq":1,',
      detail: { seq: 0, at: '', nested: { z: [null, true, 1.5], a: 'é' }, empty: {} },
    };
    for (const c of [content, odd]) {
      const { seq, at, ...rest } = c;
      const parts = chainBodyParts(rest);
      // What vigil_audit_append concatenates in the database.
      const body = `${parts.beforeAt}"${at}"${parts.beforeSeq}${seq}${parts.afterSeq}`;
      expect(body).toBe(canonicalJson({ v: CHAIN_VERSION, ...c }));
      const hash = createHash('sha256').update(`${GENESIS_HASH}\n${body}`).digest('hex');
      expect(hash).toBe(chainHash(GENESIS_HASH, c));
    }
  });

  it('hashes the detail as jsonb will give it back', () => {
    expect(
      storedDetail({ when: new Date('2026-11-26T10:00:00Z'), gone: undefined, nan: NaN }),
    ).toEqual({ when: '2026-11-26T10:00:00.000Z', nan: null });
  });

  // The verifier checks every stored row, all chained under v1, with the live rule; the migration
  // that chained the first ones used its frozen copy (database/migrations/frozen/audit-chain-v1.ts).
  it("agrees with the audit-chain migration's frozen v1 rule while the live rule is still v1", () => {
    const row = SAMPLE_V1_ROW;
    expect(chainHash(GENESIS_HASH, contentOf(row, 3))).toBe(rowHashV1(GENESIS_HASH, row, 3));
  });
});
