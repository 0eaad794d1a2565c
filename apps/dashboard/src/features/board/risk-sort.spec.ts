import { resortByRisk, sortByRisk, type RiskFacts } from './risk-sort';

const facts = (name: string, over: Partial<RiskFacts> = {}): RiskFacts => ({
  sessionId: name,
  patientName: name,
  topAlert: null,
  news2Total: 0,
  overdueSince: null,
  ...over,
});

describe('risk sort', () => {
  it('puts open alert priority first, then NEWS2, then how overdue the check-in is', () => {
    const sorted = sortByRisk([
      facts('calm'),
      facts('overdue', { overdueSince: 0 }),
      facts('news2-6', { news2Total: 6 }),
      facts('medium', { topAlert: { priority: 'medium', status: 'open' } }),
      facts('low-news2-9', { topAlert: { priority: 'low', status: 'open' }, news2Total: 9 }),
      facts('high', { topAlert: { priority: 'high', status: 'open' } }),
      facts('news2-6-overdue', { news2Total: 6, overdueSince: 60_000 }),
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

  it('puts the check-in that fell due first (overdue longest) before a later one', () => {
    const sorted = sortByRisk([
      facts('a-due-later', { overdueSince: 90_000 }),
      facts('b-due-first', { overdueSince: 30_000 }),
      facts('c-not-due'),
    ]);
    expect(sorted.map((f) => f.patientName)).toEqual(['b-due-first', 'a-due-later', 'c-not-due']);
  });
});

describe('resortByRisk', () => {
  const before = sortByRisk([facts('Amy'), facts('Bob', { news2Total: 5 }), facts('Cat')]);

  it('keeps the last order, with the new items, when no sort fact changed', () => {
    const amy = facts('Amy');
    const next = resortByRisk([facts('Cat'), amy, before[0]], before);
    expect(next.map((f) => f.patientName)).toEqual(['Bob', 'Amy', 'Cat']);
    expect(next[0]).toBe(before[0]);
    expect(next[1]).toBe(amy);
  });

  it('sorts again when a sort fact changed, or a session came or went', () => {
    const raised = facts('Cat', { topAlert: { priority: 'high', status: 'open' } });
    expect(resortByRisk([before[0], before[1], raised], before).map((f) => f.patientName)).toEqual([
      'Cat',
      'Bob',
      'Amy',
    ]);
    expect(
      resortByRisk([...before, facts('Ada', { news2Total: 9 })], before).map((f) => f.patientName),
    ).toEqual(['Ada', 'Bob', 'Amy', 'Cat']);
    expect(
      resortByRisk([before[0], before[1], facts('Dan')], before).map((f) => f.patientName),
    ).toEqual(['Bob', 'Amy', 'Dan']);
  });
});
