import { chainHash, GENESIS_HASH, storedDetail, type ChainedContent } from './audit-hash';

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

  it('hashes the detail as jsonb will give it back', () => {
    expect(
      storedDetail({ when: new Date('2026-11-26T10:00:00Z'), gone: undefined, nan: NaN }),
    ).toEqual({ when: '2026-11-26T10:00:00.000Z', nan: null });
  });
});
