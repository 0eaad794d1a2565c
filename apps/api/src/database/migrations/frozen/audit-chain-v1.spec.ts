import { GENESIS_HASH, rowHashV1 } from './audit-chain-v1';
import { SAMPLE_V1_ROW } from './audit-chain-v1.sample';

const row = SAMPLE_V1_ROW;

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
