import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { BoardSummary } from '@vigil/contracts';
import { live } from '../../realtime/live-connection';
import { useLiveSessions } from './useLiveSessions';

// The one socket client's wire, replaced by a socket whose server side the test plays.
type Handler = (payload: unknown) => void;
const handlers = new Map<string, Handler>();
let handshake: ((cb: (auth: object) => void) => void) | null = null;
jest.mock('socket.io-client', () => ({
  io: (_url: string, opts: { auth: typeof handshake }) => {
    handshake = opts.auth;
    return {
      connected: true,
      on: (event: string, handler: Handler) => handlers.set(event, handler),
      io: { on: () => undefined },
      emit: () => undefined,
      disconnect: () => undefined,
    };
  },
}));

const summary = (sessionId: string, state: string): BoardSummary => ({
  sessionId,
  state,
  headSeq: 3,
  latestVitals: {},
  lastCheckInAt: null,
  openAlertPriority: null,
  presence: 'online',
});

describe('useLiveSessions with board batches', () => {
  let listFetches = 0;

  beforeEach(() => {
    listFetches = 0;
    // jsdom has no fetch or Response: answer as the server would.
    globalThis.fetch = jest.fn((url: string) => {
      if (url === '/api/sessions?state=live') listFetches++;
      const body = [{ id: 's1', state: 'monitoring', patient: { id: 'p1', name: 'Pat One' } }];
      return Promise.resolve({
        ok: true,
        status: 200,
        text: () => Promise.resolve(JSON.stringify(body)),
      });
    }) as unknown as typeof fetch;
    live.connect();
  });

  afterEach(() => live.disconnect());

  function renderSessions() {
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    return renderHook(() => useLiveSessions(), { wrapper });
  }

  it('asks the server for batches in the handshake', () => {
    let auth: object = {};
    handshake?.((a) => (auth = a));
    expect(auth).toMatchObject({ board: 'batch' });
  });

  it('refetches the list once for a batch naming several sessions it does not list', async () => {
    const { result } = renderSessions();
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    expect(listFetches).toBe(1);
    act(() =>
      handlers.get('board.batch')?.({
        summaries: [summary('s1', 'monitoring'), summary('s2', 'dosed'), summary('s3', 'ready')],
      }),
    );
    await waitFor(() => expect(listFetches).toBe(2));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(listFetches).toBe(2);
  });

  it('does not refetch for a batch of sessions it lists in the states it shows', async () => {
    const { result } = renderSessions();
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    act(() => handlers.get('board.batch')?.({ summaries: [summary('s1', 'monitoring')] }));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(listFetches).toBe(1);
  });

  it('still takes a single board.updated from a server older than v1.3', async () => {
    const { result } = renderSessions();
    await waitFor(() => expect(result.current.data).toHaveLength(1));
    act(() => handlers.get('board.updated')?.(summary('s1', 'recovery')));
    await waitFor(() => expect(listFetches).toBe(2));
  });
});
