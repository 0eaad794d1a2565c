import { ServerClock } from './server-clock';

const SERVER = Date.parse('2026-11-26T10:00:00Z');
/** The HTTP `Date` header for a server time: to the second, rounded down. */
const httpDate = (ms: number) => new Date(ms).toUTCString();

/** A computer whose clock reads `skew` off the server's, asking the server at server time `at`. */
function station(initialSkew: number) {
  let skew = initialSkew;
  let local = SERVER + skew;
  const clock = new ServerClock(() => local);
  return {
    clock,
    /** An answer written at server time `at`, `rtt` ms there and back (half each way). */
    ask(at: number, rtt = 40) {
      local = at + skew - rtt / 2;
      const sent = local;
      local += rtt;
      clock.observeDate(httpDate(at), sent, local);
    },
    /** The computer's clock is set (by NTP, by a person). */
    setSkew(ms: number) {
      skew = ms;
    },
  };
}

describe('ServerClock', () => {
  it("is this computer's clock until the server has answered", () => {
    const s = station(-5 * 60_000);
    expect(s.clock.offsetMs()).toBe(0);
    s.clock.observeDate(null, 0, 10);
    s.clock.observeDate('not a date', 0, 10);
    expect(s.clock.offsetMs()).toBe(0);
  });

  it.each([
    ['5 min slow', -5 * 60_000],
    ['2 min fast', 2 * 60_000],
    ['right', 0],
  ])(
    'reads the server time from one answer to within a second when the computer is %s',
    (_, skew) => {
      const s = station(skew);
      s.ask(SERVER + 400);
      expect(Math.abs(s.clock.now() - (SERVER + 420))).toBeLessThan(1000);
    },
  );

  it('narrows to well under a second with the answers of a few minutes', () => {
    const s = station(-5 * 60_000);
    // The list refetch every 15 s, each answer written at a different point of its second.
    for (let i = 0; i < 12; i++) s.ask(SERVER + i * 15_000 + ((i * 370) % 1000));
    const truth = SERVER + 11 * 15_000 + ((11 * 370) % 1000) + 20;
    expect(Math.abs(s.clock.now() - truth)).toBeLessThan(150);
  });

  it("follows the freshest answer once this computer's clock is set", () => {
    const s = station(-5 * 60_000);
    for (let i = 0; i < 4; i++) s.ask(SERVER + i * 15_000 + 500);
    // Someone sets the computer's clock right: the earlier answers no longer fit.
    s.setSkew(0);
    s.ask(SERVER + 60_500);
    expect(Math.abs(s.clock.offsetMs())).toBeLessThan(1000);
  });

  it('tells its listeners when the offset changes, and only then', () => {
    const s = station(-5 * 60_000);
    const told = jest.fn();
    s.clock.subscribe(told);
    s.ask(SERVER + 500);
    expect(told).toHaveBeenCalledTimes(1);
    const offset = s.clock.offsetMs();
    s.ask(SERVER + 500); // the same evidence again
    expect(s.clock.offsetMs()).toBe(offset);
    expect(told).toHaveBeenCalledTimes(1);
  });
});
