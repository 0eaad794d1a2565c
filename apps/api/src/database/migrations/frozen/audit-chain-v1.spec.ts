import { GENESIS_HASH, rowHashV1, type ChainRow } from './audit-chain-v1';

const row: ChainRow = {
  id: '7',
  seq: '0',
  at_text: '2026-01-02T03:04:05.123456Z',
  actor_id: '11111111-1111-4111-8111-111111111111',
  actor_role: 'clinician',
  action: 'session.read',
  entity_type: 'session',
  entity_id: '22222222-2222-4222-8222-222222222222',
  patient_id: null,
  outcome: 'success',
  source_ip: '10.0.0.1',
  user_agent: 'jest',
  detail: { b: 2, a: [1, { z: null, y: 'x' }] },
  prev_hash: null,
  hash: null,
};

// Computed with the v1 rule when the copy was frozen: the migration's hashes never change.
const V1_HASH = '451f0d21696e62b155a57644f3ed6fa26941de05b3934f681dac0f03c5646972';

describe("the audit-chain migration's frozen v1 hash rule", () => {
  it('hashes a row as it did when the migration was written', () => {
    expect(rowHashV1(GENESIS_HASH, row, 3)).toBe(V1_HASH);
  });

  it('depends on the previous hash and the position', () => {
    expect(rowHashV1('f'.repeat(64), row, 3)).not.toBe(V1_HASH);
    expect(rowHashV1(GENESIS_HASH, row, 4)).not.toBe(V1_HASH);
  });
});
