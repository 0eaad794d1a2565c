import { withServerStatus, type ConnectionStatus } from './connection-status';

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
