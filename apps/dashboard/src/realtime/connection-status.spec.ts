import { wentDown, withServerStatus, type ConnectionStatus } from './connection-status';

const live: ConnectionStatus = { state: 'live', since: 1_000 };
const ok = { crossInstanceDelivery: 'ok', database: { state: 'ok', since: '' } } as const;

describe('withServerStatus', () => {
  it('changes nothing on a connection that is not live', () => {
    expect(withServerStatus({ state: 'reconnecting', since: 5 }, ok)).toBeNull();
  });

  it('changes nothing when the server says what is already shown', () => {
    expect(withServerStatus(live, ok)).toBeNull();
    expect(withServerStatus(live, { crossInstanceDelivery: 'single' })).toBeNull();
  });

  it('keeps when the connection went live and takes "not saving since" from the server', () => {
    const since = '2026-12-06T08:00:00.000Z';
    expect(
      withServerStatus(live, {
        crossInstanceDelivery: 'degraded',
        database: { state: 'unavailable', since },
      }),
    ).toEqual({ state: 'live', since: 1_000, degraded: true, notSavingSince: Date.parse(since) });
  });

  it('uses the time it heard when the server gave no readable since', () => {
    const next = withServerStatus(
      live,
      { crossInstanceDelivery: 'ok', database: { state: 'unavailable', since: 'soon' } },
      42,
    );
    expect(next).toEqual({ state: 'live', since: 1_000, degraded: false, notSavingSince: 42 });
  });

  it('clears "not saving" once the database answers again', () => {
    const notSaving: ConnectionStatus = { state: 'live', since: 1_000, notSavingSince: 7 };
    expect(withServerStatus(notSaving, ok)).toEqual({
      state: 'live',
      since: 1_000,
      degraded: false,
      notSavingSince: undefined,
    });
  });
});

describe('wentDown: "No live data since" is when data stopped', () => {
  it('a live connection that drops: since the drop', () => {
    expect(wentDown(live, 'reconnecting', 9_000)).toEqual({ state: 'reconnecting', since: 9_000 });
  });

  it('reconnecting since 10:00, then the browser offline at 10:05: still since 10:00', () => {
    const down: ConnectionStatus = { state: 'reconnecting', since: 10_000 };
    expect(wentDown(down, 'offline', 310_000)).toEqual({ state: 'offline', since: 10_000 });
  });

  it('not saving since 10:00, then the socket drops at 10:05: since 10:00', () => {
    const notSaving: ConnectionStatus = { state: 'live', since: 1_000, notSavingSince: 10_000 };
    expect(wentDown(notSaving, 'reconnecting', 310_000)).toEqual({
      state: 'reconnecting',
      since: 10_000,
    });
  });
});
