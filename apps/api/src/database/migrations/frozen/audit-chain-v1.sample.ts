import type { ChainRow } from './audit-chain-v1';

/** One audit row as the chain reads it, for the specs of the frozen v1 rule and the live one. */
export const SAMPLE_V1_ROW: ChainRow = {
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
