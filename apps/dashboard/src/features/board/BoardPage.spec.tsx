import '../../shared/testing/jsdom-polyfills';
import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { SessionEvent } from '@vigil/contracts';
import { SessionStore, type EventSource } from '../../read-model/session-store';
import { WorkspaceContext, type Workspace } from '../workspace/useWorkspace';
import { eventLog, summary, T0 } from '../../read-model/testing';
import { BoardPage } from './BoardPage';

describe('BoardPage', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 + 10 * 60_000 }));
  afterEach(() => jest.useRealTimers());

  it('orders tiles by risk: alert priority, then NEWS2, then the rest', () => {
    const logs: Record<string, SessionEvent[]> = {
      calm: eventLog('calm').vitals(9 * 60_000, { heart_rate: 70, spo2: 98 }).events,
      sick: eventLog('sick').vitals(9 * 60_000, { resp_rate: 26, spo2: 90 }).events,
      alarm: eventLog('alarm').raise(0, 'a1', 'high', 'Help button pressed').events,
    };
    const store = new SessionStore({
      watch: (id, listener) => {
        listener(logs[id], true);
        return () => undefined;
      },
    });
    const sessions = [
      summary('calm', 'Ann Calm'),
      summary('sick', 'Bob Sick'),
      summary('alarm', 'Cy Alarm'),
    ];
    store.track(sessions.map((s) => s.id));
    const ws: Workspace = {
      store,
      sessions,
      listError: null,
      listLoading: false,
      lockNow: () => undefined,
    };
    render(
      <MemoryRouter>
        <WorkspaceContext.Provider value={ws}>
          <BoardPage />
        </WorkspaceContext.Provider>
      </MemoryRouter>,
    );
    expect(screen.getAllByTestId('tile').map((t) => t.dataset.sessionId)).toEqual([
      'alarm',
      'sick',
      'calm',
    ]);
  });

  it('keeps the tile of each place on the board when the risk order moves, and keyboard focus follows the patient', () => {
    const listeners = new Map<string, Parameters<EventSource['watch']>[1]>();
    const store = new SessionStore({
      watch: (id, listener) => {
        listeners.set(id, listener);
        listener(eventLog(id).vitals(9 * 60_000, { heart_rate: 70, spo2: 98 }).events, true);
        return () => undefined;
      },
    });
    const sessions = [summary('ann', 'Ann'), summary('bob', 'Bob'), summary('cy', 'Cy')];
    store.track(sessions.map((s) => s.id));
    const ws: Workspace = {
      store,
      sessions,
      listError: null,
      listLoading: false,
      lockNow: () => undefined,
    };
    render(
      <MemoryRouter>
        <WorkspaceContext.Provider value={ws}>
          <BoardPage />
        </WorkspaceContext.Provider>
      </MemoryRouter>,
    );
    const before = screen.getAllByTestId('tile');
    expect(before.map((t) => t.dataset.sessionId)).toEqual(['ann', 'bob', 'cy']);
    screen.getByRole('link', { name: 'Cy' }).focus();

    // Cy's help button: Cy rises to the top.
    act(() => listeners.get('cy')?.(eventLog('cy').raise(0, 'a1', 'high', 'Help').events, true));

    const after = screen.getAllByTestId('tile');
    expect(after.map((t) => t.dataset.sessionId)).toEqual(['cy', 'ann', 'bob']);
    // The same three elements, showing other sessions: nothing was moved, mounted or removed.
    expect(after).toEqual(before);
    expect(after.every((t, i) => t === before[i])).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Cy' }));
    expect(document.activeElement?.closest('li')).toBe(after[0]);
  });

  it('says when the session list could not be refreshed instead of looking calm', () => {
    const store = new SessionStore({ watch: () => () => undefined });
    render(
      <MemoryRouter>
        <WorkspaceContext.Provider
          value={{
            store,
            sessions: [],
            listError: 'network down',
            listLoading: false,
            lockNow: () => undefined,
          }}
        >
          <BoardPage />
        </WorkspaceContext.Provider>
      </MemoryRouter>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Could not refresh the session list');
  });
});
