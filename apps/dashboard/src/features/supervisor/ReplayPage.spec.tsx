import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen } from '@testing-library/react';
import { eventLog, T0 } from '../../read-model/testing';
import { describeEvent, eventsUpTo } from './replay';
import { ReplayPage } from './ReplayPage';
import { supervisorApi } from './supervisor-api';
import { historyItem, renderAt } from './testing';

const MIN = 60_000;
const log = () =>
  eventLog('s1')
    .add('session.state_changed', 0, {
      from: 'ready',
      to: 'dosed',
      dosedAt: new Date(T0).toISOString(),
    })
    .vitals(5 * MIN, { bp_systolic: 150, bp_diastolic: 90 })
    .checkIn(15 * MIN, { moaas: 3, dissociation: 4 })
    .raise(16 * MIN, 'a1', 'high', 'MOAA/S 3 <= 2', 'moaas_low').events;

describe('replay', () => {
  afterEach(() => jest.restoreAllMocks());

  it('cuts the log at the cursor time: a prefix in seq order', () => {
    const events = log();
    expect(eventsUpTo(events, T0 + 10 * MIN).map((e) => e.seq)).toEqual([1, 2]);
    expect(eventsUpTo(events, T0 + 60 * MIN)).toHaveLength(4);
    expect(eventsUpTo(events, T0 - 1)).toEqual([]);
    expect(describeEvent(events[1])).toBe('bp_systolic 150, bp_diastolic 90');
    expect(describeEvent(events[2])).toBe('MOAA/S 3, dissociation 4');
    expect(describeEvent(events[0])).toBe('ready → dosed');
  });

  it('describes alert updates and resolutions: reopened, priority rises, repeats, why resolved', () => {
    const events = eventLog('s1')
      .raise(0, 'a1', 'medium', 'SpO2 93 <= 93', 'spo2_low')
      .update(MIN, 'a1', {
        reason: 'priority',
        priority: 'high',
        previousPriority: 'medium',
        message: 'SpO2 90 <= 91',
      })
      .update(2 * MIN, 'a1', {
        reason: 'reopened',
        reopened: true,
        priority: 'high',
        previousPriority: 'high',
        message: 'SpO2 89 <= 91',
      })
      .update(3 * MIN, 'h1', {
        reason: 'repeated',
        priority: 'high',
        previousPriority: 'high',
        message: 'Help button pressed',
        count: 2,
      })
      .update(4 * MIN, 'a1', {
        priority: 'high',
        previousPriority: 'high',
        message: 'SpO2 90 <= 91',
      })
      .add('alert.resolved', 5 * MIN, {
        alertId: 'a1',
        condition: 'spo2_low',
        priority: 'high',
        auto: true,
        reason: 'session aborted',
      }).events;
    expect(events.map(describeEvent)).toEqual([
      'medium: SpO2 93 <= 93',
      'high: SpO2 90 <= 91 (raised from medium)',
      'high: SpO2 89 <= 91 (reopened)',
      'high: Help button pressed (2 times)',
      'high: SpO2 90 <= 91',
      'spo2_low (high) automatically, session aborted',
    ]);
  });

  it('shows every event in seq order and scrubs back in time', async () => {
    jest.spyOn(supervisorApi, 'session').mockResolvedValue(historyItem());
    jest.spyOn(supervisorApi, 'allEvents').mockResolvedValue(log());
    renderAt('/supervisor/sessions/s1', '/supervisor/sessions/:id', <ReplayPage />);
    const items = await screen.findAllByRole('listitem');
    expect(items.map((li) => li.textContent?.match(/^#(\d+)/)?.[1])).toEqual(['1', '2', '3', '4']);
    expect(screen.getByLabelText(/Replay time/)).toHaveValue(String(T0 + 16 * MIN));
    expect(screen.getByText(/event 4 of 4/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/Replay time/), {
      target: { value: String(T0 + 6 * MIN) },
    });
    expect(screen.getByText(/event 2 of 4/)).toBeInTheDocument();
    expect(items[3]).toHaveClass('sv-event-future');
    expect(screen.getByText('No check-ins yet.')).toBeInTheDocument();
  });
});
