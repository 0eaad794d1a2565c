import { sortByRisk, type RiskFacts } from './risk-sort';

const facts = (name: string, over: Partial<RiskFacts> = {}): RiskFacts => ({
  sessionId: name,
  patientName: name,
  topAlert: null,
  news2Total: 0,
  overdueMs: 0,
  ...over,
});

describe('risk sort', () => {
  it('puts open alert priority first, then NEWS2, then how overdue the check-in is', () => {
    const sorted = sortByRisk([
      facts('calm'),
      facts('overdue', { overdueMs: 120_000 }),
      facts('news2-6', { news2Total: 6 }),
      facts('medium', { topAlert: { priority: 'medium', status: 'open' } }),
      facts('low-news2-9', { topAlert: { priority: 'low', status: 'open' }, news2Total: 9 }),
      facts('high', { topAlert: { priority: 'high', status: 'open' } }),
      facts('news2-6-overdue', { news2Total: 6, overdueMs: 60_000 }),
    ]);
    expect(sorted.map((f) => f.patientName)).toEqual([
      'high',
      'medium',
      'low-news2-9',
      'news2-6-overdue',
      'news2-6',
      'overdue',
      'calm',
    ]);
  });

  it('ranks an unacknowledged alert above an acknowledged one of the same priority', () => {
    const sorted = sortByRisk([
      facts('a-acked', { topAlert: { priority: 'high', status: 'acknowledged' }, news2Total: 8 }),
      facts('b-open', { topAlert: { priority: 'high', status: 'open' } }),
    ]);
    expect(sorted.map((f) => f.patientName)).toEqual(['b-open', 'a-acked']);
  });

  it('keeps equal risks in a stable order by name', () => {
    const sorted = sortByRisk([facts('Zed'), facts('Amy')]);
    expect(sorted.map((f) => f.patientName)).toEqual(['Amy', 'Zed']);
  });
});
