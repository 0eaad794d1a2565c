import { news2Level, resortByRisk, sortByRisk, type RiskFacts } from './risk-sort';

const facts = (name: string, over: Partial<RiskFacts> = {}): RiskFacts => ({
  sessionId: name,
  patientName: name,
  topAlert: null,
  news2Level: 0,
  overdueSince: null,
  ...over,
});

describe('risk sort', () => {
  it('puts open alert priority first, then the NEWS2 band, then how overdue the check-in is', () => {
    const sorted = sortByRisk([
      facts('calm'),
      facts('overdue', { overdueSince: 0 }),
      facts('news2-6', { news2Level: 2 }),
      facts('medium', { topAlert: { priority: 'medium', status: 'open' } }),
      facts('low-news2-9', { topAlert: { priority: 'low', status: 'open' }, news2Level: 3 }),
      facts('high', { topAlert: { priority: 'high', status: 'open' } }),
      facts('news2-6-overdue', { news2Level: 2, overdueSince: 60_000 }),
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
      facts('a-acked', { topAlert: { priority: 'high', status: 'acknowledged' }, news2Level: 3 }),
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

describe('news2Level', () => {
  // RCP chart 4 (CLINICAL.md "NEWS2 (RCP 2017) scoring bands"): >= 7 high, 5-6 medium, a 3 in one
  // parameter low-medium, else low.
  it.each([
    [0, false, 0],
    [4, false, 0],
    [3, true, 1],
    [4, true, 1],
    [5, false, 2],
    [6, true, 2],
    [7, false, 3],
    [12, true, 3],
  ])('total %i, a single 3: %s -> level %i', (total, anySingleThree, level) => {
    expect(news2Level({ total, anySingleThree })).toBe(level);
  });

  it('keeps the order while a value wavers within its band (SpO2 96/95: total 0/1)', () => {
    const board = sortByRisk([facts('Amy'), facts('Bob'), facts('Cat')]);
    const wavered = facts('Amy', { news2Level: news2Level({ total: 1, anySingleThree: false }) });
    const next = resortByRisk([wavered, board[1], board[2]], board);
    expect(next.map((f) => f.patientName)).toEqual(['Amy', 'Bob', 'Cat']);
    // Into the medium band it moves up.
    const worse = facts('Cat', { news2Level: news2Level({ total: 5, anySingleThree: false }) });
    expect(resortByRisk([board[0], board[1], worse], board).map((f) => f.patientName)).toEqual([
      'Cat',
      'Amy',
      'Bob',
    ]);
  });
});

describe('resortByRisk', () => {
  const before = sortByRisk([facts('Amy'), facts('Bob', { news2Level: 2 }), facts('Cat')]);

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
      resortByRisk([...before, facts('Ada', { news2Level: 3 })], before).map((f) => f.patientName),
    ).toEqual(['Ada', 'Bob', 'Amy', 'Cat']);
    expect(
      resortByRisk([before[0], before[1], facts('Dan')], before).map((f) => f.patientName),
    ).toEqual(['Bob', 'Amy', 'Dan']);
  });
});
