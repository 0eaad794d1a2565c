import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen } from '@testing-library/react';
import { eventLog, T0 } from '../../read-model/testing';
import { ReplayPage } from './ReplayPage';
import { supervisorApi } from './supervisor-api';
import { historyItem, renderAt } from './testing';

const MIN = 60_000;

/**
 * The replay is meant to reproduce what the clinician saw, in seq order (brief; API.md "Session
 * replay"; replay.ts says notes and messages are "shown in their own panels").
 */
describe('replay fidelity (what the clinician saw)', () => {
  afterEach(() => jest.restoreAllMocks());

  it("shows the patient's messages and the clinician's notes of the session", async () => {
    const events = eventLog('s1')
      .add('session.state_changed', 0, {
        from: 'ready',
        to: 'dosed',
        dosedAt: new Date(T0).toISOString(),
      })
      .add('message.sent', 20 * MIN, {
        text: 'My chest feels tight',
        fromRole: 'patient',
        fromName: 'Ann Patient',
      })
      .add('note.added', 22 * MIN, { text: 'Called the support person, BP recheck asked' }).events;
    jest.spyOn(supervisorApi, 'session').mockResolvedValue(historyItem());
    jest.spyOn(supervisorApi, 'allEvents').mockResolvedValue(events);
    renderAt('/supervisor/sessions/s1', '/supervisor/sessions/:id', <ReplayPage />);
    await screen.findAllByRole('listitem');
    // The clinician's session page showed both in its Messages and Notes panels.
    expect(screen.queryByText(/My chest feels tight/)).not.toBeNull();
    expect(screen.queryByText(/Called the support person/)).not.toBeNull();
    // The event log says who wrote, and where to read it, without repeating the text.
    expect(screen.getByText(/Patient · Ann Patient \(in Messages\)/)).toBeInTheDocument();
    expect(screen.getByText('(in Notes)', { exact: false })).toBeInTheDocument();
    // A record to read, not a conversation to join.
    expect(screen.queryByRole('button', { name: /Send message|Add note/ })).toBeNull();

    // As the clinician had them at the replay time: before the message, neither yet.
    fireEvent.change(screen.getByLabelText(/Replay time/), {
      target: { value: String(T0 + 10 * MIN) },
    });
    expect(screen.queryByText(/My chest feels tight/)).toBeNull();
    expect(screen.queryByText(/Called the support person/)).toBeNull();
    expect(screen.getByText('No messages yet.')).toBeInTheDocument();
  });

  it("draws the chart bands with the patient's protocol override in force, as the clinician's page did", async () => {
    const events = eventLog('s1')
      .add('session.state_changed', 0, {
        from: 'ready',
        to: 'dosed',
        dosedAt: new Date(T0).toISOString(),
      })
      .add('protocol.overridden', MIN, {
        setting: 'spo2Low',
        value: 93,
        previous: null,
        reason: 'Tighter SpO2 watch',
        by: 'c1',
      })
      .vitals(10 * MIN, { spo2: 92 }).events;
    jest.spyOn(supervisorApi, 'session').mockResolvedValue(
      historyItem({
        overrides: [
          { setting: 'spo2Low', label: 'SpO2 low limit', unit: '%', value: 93, default: 91 },
        ],
      }),
    );
    jest.spyOn(supervisorApi, 'allEvents').mockResolvedValue(events);
    renderAt('/supervisor/sessions/s1', '/supervisor/sessions/:id', <ReplayPage />);
    await screen.findAllByRole('listitem');
    // SessionPage applies protocolWithOverrides(...): the live chart read "high band ≤ 93".
    expect(screen.getByRole('figure', { name: /^SpO2/ })).toHaveAccessibleName(/high band ≤ 93/);
    expect(
      screen.getByText(/Bands use the oral limits with SpO2 low limit \(high\) 93 %/),
    ).toBeInTheDocument();

    // Before the override was set, the default limit was in force.
    fireEvent.change(screen.getByLabelText(/Replay time/), {
      target: { value: String(T0 + MIN / 2) },
    });
    expect(screen.getByRole('figure', { name: /^SpO2/ })).toHaveAccessibleName(/high band ≤ 91/);
  });
});
