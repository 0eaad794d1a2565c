import type { Instance } from './cluster';
import { liveSocket, waitUntil, type Phone, type Submission } from './load';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The faults run's duplicate storm: every phone's last three acked submissions resent 3x on its
 * own socket and on the other instance's at once, then a new clientId raced on both. `wrong`
 * counts answers that were not the original seq marked duplicate, and races that stored twice.
 */
export async function duplicateStorm(
  phones: Phone[],
  instances: Instance[],
): Promise<{ wrong: number; note: string }> {
  // Same clientId, same body, on the phone's own socket and on the other instance at once:
  // every answer must be the original seq, marked duplicate, and nothing stored again.
  const others = phones.map((p, i) => ({ p, other: instances[(i + 1) % 2] }));
  const extra = others.map(({ p, other }) => liveSocket(other.url, p.token));
  await waitUntil('second sockets', () => extra.every((s) => s.connected), 60_000);
  let answers = 0;
  let wrong = 0;
  let pushedBack = 0;
  const why = new Map<string, number>();
  // A resend the server pushes back (`unavailable`: admission control, the burst is past what
  // it answers within a second) is sent again, as a phone's outbox does; the answer it then
  // gets is the one that counts (the race below too). Counted apart: pushing back is the server
  // working as designed.
  const resend = async (p: Phone, socket: Parameters<Phone['send']>[0], item: Submission) => {
    for (let attempt = 0; ; attempt++) {
      const r = await p.send(socket, item);
      if (r?.ok !== false || r.error.code !== 'unavailable' || attempt === 50) return r;
      pushedBack++;
      await sleep(200);
    }
  };
  await Promise.all(
    others.map(async ({ p }, i) => {
      for (const item of p.recent.slice(-3)) {
        const results = await Promise.all(
          [p.socket, extra[i], p.socket, extra[i], p.socket, extra[i]].map((s) =>
            resend(p, s, item),
          ),
        );
        for (const r of results) {
          answers++;
          if (!r?.ok || !r.duplicate) {
            wrong++;
            const reason = r === null ? 'no ack' : r.ok ? 'not marked duplicate' : r.error.code;
            why.set(reason, (why.get(reason) ?? 0) + 1);
          }
        }
      }
    }),
  );
  // A new clientId raced on both instances at once: one row, one seq for both answers.
  const raced = await Promise.all(
    others.map(async ({ p }, i) => {
      const item = {
        clientId: `${p.tag}-race-${i}`,
        readings: [{ kind: 'spo2' as const, value: 96, measuredAt: new Date().toISOString() }],
      };
      return Promise.all([resend(p, p.socket, item), resend(p, extra[i], item)]);
    }),
  );
  const racedBad = raced.filter(
    ([x, y]) => !x?.ok || !y?.ok || x.seq !== y.seq || x.duplicate === y.duplicate,
  ).length;
  extra.forEach((s) => s.disconnect());
  return {
    wrong: wrong + racedBad,
    note: `${answers} resends, ${wrong} not answered duplicate${why.size ? ` (${[...why].map(([k, v]) => `${k} ${v}`).join(', ')})` : ''} (${pushedBack} pushed back "unavailable" first, sent again); ${raced.length} races, ${racedBad} wrong`,
  };
}
