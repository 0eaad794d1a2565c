import type { SessionHead } from '@vigil/contracts';
import { sameHeads } from './watch.service';

describe('sameHeads: one session.heads per distinct list of a sweep', () => {
  const a: SessionHead = { sessionId: 'a', headSeq: 3 };
  const b: SessionHead = { sessionId: 'b', headSeq: 7 };

  it('sends a list that several sockets share once, to all of them', () => {
    const groups = sameHeads(
      new Map([
        ['s1', [a, b]],
        ['s2', [a]],
        ['s3', [a, b]],
        ['s4', [b, a]],
      ]),
    );
    expect(groups).toEqual([
      { socketIds: ['s1', 's3'], heads: [a, b] },
      { socketIds: ['s2'], heads: [a] },
      { socketIds: ['s4'], heads: [b, a] },
    ]);
  });

  it('never sends a socket a list that differs from its own anywhere', () => {
    const c: SessionHead = { sessionId: 'c', headSeq: 1 };
    const d: SessionHead = { sessionId: 'd', headSeq: 1 };
    const groups = sameHeads(
      new Map([
        ['s1', [a, b, c]],
        ['s2', [a, d, c]],
        ['s3', [a, b]],
      ]),
    );
    expect(groups.map((g) => g.socketIds)).toEqual([['s1'], ['s2'], ['s3']]);
  });
});
