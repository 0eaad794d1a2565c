import '../../shared/testing/jsdom-polyfills';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { formatClock } from '../../read-model/staleness';
import { eventLog, iso, summary, T0 } from '../../read-model/testing';
import { SessionTile, type TileVariant } from './SessionTile';
import { scoreNews2 } from '@vigil/clinical';
import { needsAttention, tileView, type TileView } from './tile-view';

function renderTile(
  log: ReturnType<typeof eventLog>,
  now: number,
  adjust: (view: TileView) => TileView = (v) => v,
  variant: TileVariant = 'compact',
) {
  const view = adjust(tileView(summary('s1', 'Pat One'), log.model(), now));
  render(
    <MemoryRouter>
      <ul>
        <SessionTile view={view} now={now} variant={variant} />
      </ul>
    </MemoryRouter>,
  );
  return screen.getByTestId('tile');
}

describe('SessionTile', () => {
  it("marks a patient's message nobody has answered, on the compact tile and the session view, until the care team writes", () => {
    const now = T0 + 30 * 60_000;
    const message = (at: number, fromRole: string) =>
      ({ text: 'My chest feels tight, is that normal?', fromRole, fromName: 'x' }) as const;
    const log = eventLog().add('message.sent', 20 * 60_000, message(20 * 60_000, 'patient'));
    const waiting = renderTile(log, now);
    expect(within(waiting).getByTestId('tile-message')).toHaveTextContent(
      `✉ ${formatClock(iso(20 * 60_000))}`,
    );
    expect(within(waiting).getByText(/^Message from the patient at/)).toHaveClass(
      'visually-hidden',
    );
    // A wall display shows that someone wrote, never what: the text stays in the session view.
    expect(waiting).not.toHaveTextContent('chest');
    const view = tileView(summary('s1', 'Pat One'), log.model(), now);
    expect(needsAttention({ ...view, checkIn: { ...view.checkIn, overdue: false } })).toBe(true);
    waiting.remove();
    const detail = renderTile(log, now, undefined, 'detail');
    expect(within(detail).getByTestId('tile-message')).toHaveTextContent(
      `Message from the patient at ${formatClock(iso(20 * 60_000))}, not answered yet`,
    );
    detail.remove();

    log.add('message.sent', 22 * 60_000, message(22 * 60_000, 'clinician'));
    const answered = renderTile(log, now);
    expect(within(answered).queryByTestId('tile-message')).toBeNull();
    expect(tileView(summary('s1', 'Pat One'), log.model(), now).patientMessageAt).toBeNull();
  });

  it('shows name, state, minutes since dose, vitals with their ages and a link to the session', () => {
    const now = T0 + 12 * 60_000;
    const tile = renderTile(
      eventLog().vitals(now - T0 - 5_000, {
        heart_rate: 82,
        bp_systolic: 150,
        bp_diastolic: 92,
        spo2: 97,
        resp_rate: 14,
      }),
      now,
    );
    expect(within(tile).getByRole('link', { name: 'Pat One' })).toHaveAttribute(
      'href',
      '/sessions/s1',
    );
    expect(tile).toHaveTextContent('Monitoring · 12 min since dose');
    // The compact tile shows "5s" under the value and reads out "5 s ago" (unit too).
    const bp = within(tile).getByTestId('vital-bp');
    expect(bp).toHaveTextContent('150/92 mmHg');
    expect(within(bp).getByText('5s')).toHaveAttribute('aria-hidden', 'true');
    expect(within(bp).getByText('5 s ago')).toHaveClass('visually-hidden');
    expect(within(tile).getByTestId('vital-heart_rate')).not.toHaveTextContent(/stale/i);
  });

  it('keeps the compact cells short: ages in whole hours past an hour, a dash for no reading', () => {
    const now = T0 + 100 * 60_000;
    const tile = renderTile(eventLog().vitals(5 * 60_000, { heart_rate: 75 }), now);
    const hr = within(tile).getByTestId('vital-heart_rate');
    expect(within(hr).getByText('1h')).toBeInTheDocument();
    expect(within(hr).getByText('1 h 35 min ago')).toHaveClass('visually-hidden');
    expect(hr).toHaveTextContent(/stale/);
    expect(within(hr).getByTitle('stale: measured 1 h 35 min ago')).toBeInTheDocument();
    const bp = within(tile).getByTestId('vital-bp');
    expect(within(bp).getByTitle('no reading')).toHaveTextContent('–no reading');
    tile.remove();
    const detail = renderTile(
      eventLog().vitals(5 * 60_000, { heart_rate: 75 }),
      now,
      undefined,
      'detail',
    );
    expect(within(detail).getByTestId('vital-heart_rate')).toHaveTextContent(
      '75 /min◷ stale 1 h 35 min ago',
    );
    expect(within(detail).getByTestId('vital-bp')).toHaveTextContent('no reading');
  });

  it('marks a streamed value older than 30 s as stale, in words, not by colour alone', () => {
    const now = T0 + 20 * 60_000;
    const tile = renderTile(
      eventLog()
        .vitals(now - T0 - 90_000, { spo2: 96 })
        .vitals(now - T0 - 10_000, { heart_rate: 75 }),
      now,
    );
    const spo2 = within(tile).getByTestId('vital-spo2');
    expect(spo2).toHaveClass('vital-stale');
    // The word is read out; the striped, dashed cell shows it on the board.
    expect(spo2).toHaveTextContent(/stale.*1 min ago/i);
    expect(within(tile).getByTestId('vital-heart_rate')).not.toHaveClass('vital-stale');
  });

  it('ages a streamed value from when the server got it, not from a device clock ahead of it', () => {
    // The oximeter's clock runs 55 s ahead (the server takes up to 60 s); then the stream stops.
    const at = 10 * 60_000;
    const log = eventLog().vitals(
      at,
      { spo2: 97, bp_systolic: 130, bp_diastolic: 80 },
      at + 55_000,
    );
    // 80 s after the server had it: nothing has come for 80 s, past the 30 s rule.
    const tile = renderTile(log, T0 + at + 80_000);
    const spo2 = within(tile).getByTestId('vital-spo2');
    expect(spo2).toHaveClass('vital-stale');
    expect(spo2).toHaveTextContent(/1 min ago/);
    expect(within(tile).getByTestId('vital-bp')).toHaveTextContent(/1 min ago/);
  });

  it('never marks a BP taken on schedule stale: fresh at 20 min, stale just after', () => {
    const at = 30 * 60_000;
    const log = eventLog().vitals(at, { bp_systolic: 128, bp_diastolic: 82, resp_rate: 14 });
    const fresh = renderTile(log, T0 + at + 20 * 60_000);
    expect(within(fresh).getByTestId('vital-bp')).not.toHaveClass('vital-stale');
    expect(within(fresh).getByTestId('vital-resp_rate')).not.toHaveClass('vital-stale');
    fresh.remove();
    const late = renderTile(log, T0 + at + 20 * 60_000 + 1_000);
    expect(within(late).getByTestId('vital-bp')).toHaveClass('vital-stale');
  });

  it('gives a typed-in SpO2 the spot-check rule, not the 30 s stream rule', () => {
    const now = T0 + 40 * 60_000;
    const log = eventLog().add('vitals.recorded', now - T0 - 5 * 60_000, {
      readings: [
        { kind: 'spo2', value: 95, measuredAt: iso(now - T0 - 5 * 60_000), source: 'manual' },
      ],
    });
    expect(within(renderTile(log, now)).getByTestId('vital-spo2')).not.toHaveClass('vital-stale');
  });

  it('shows the highest open alert with icon and priority word, and how many more there are', () => {
    const now = T0 + 11 * 60_000;
    const tile = renderTile(
      eventLog()
        .raise(now - T0 - 30_000, 'a1', 'medium', 'SBP rise 45 > 40')
        .raise(now - T0 - 20_000, 'a2', 'high', 'SBP 186 > 180'),
      now,
    );
    const alert = within(tile).getByTestId('tile-alert');
    expect(alert).toHaveTextContent('▲High SBP 186 > 180');
    expect(alert).toHaveTextContent('unacknowledged · +1 more');
    expect(tile).toHaveClass('tile-high');
  });

  it('says when a silent phone last sent data, and which NEWS2 parameters are missing', () => {
    const now = T0 + 30 * 60_000;
    const lastSeen = now - 5 * 60_000;
    const tile = renderTile(
      eventLog()
        .vitals(lastSeen - T0, { spo2: 97, heart_rate: 70 })
        .add('presence.changed', now - T0 - 4 * 60_000, {
          presence: 'silent',
          lastSeenAt: iso(lastSeen - T0),
        }),
      now,
      undefined,
      'detail',
    );
    expect(within(tile).getByTestId('device')).toHaveTextContent(
      `No signal: phone silent since ${formatClock(lastSeen)}`,
    );
    expect(within(tile).getByTestId('news2')).toHaveTextContent(
      'missing: resp. rate, O2 therapy, SBP, consciousness, temp.',
    );
  });

  it('shows an overdue check-in with how long it is overdue', () => {
    const now = T0 + 19 * 60_000;
    const tile = renderTile(eventLog(), now);
    expect(within(tile).getByTestId('checkin')).toHaveTextContent('overdue 4 min');
  });

  it('shows expected sedation as an informational "Drowsy" line, not as an alert', () => {
    const now = T0 + 40 * 60_000;
    const tile = renderTile(
      eventLog().raise(30 * 60_000, 'i1', 'info', 'Drowsy: MOAA/S 4, pre-dose 5', 'sedation'),
      now,
    );
    expect(within(tile).getByTestId('tile-info')).toHaveTextContent('Drowsy: MOAA/S 4, pre-dose 5');
    expect(within(tile).queryByTestId('tile-alert')).toBeNull();
    expect(tile).toHaveTextContent('No open alerts');
    expect(tile.className).not.toMatch(/tile-(high|medium|low|info)\b/);
  });

  it('shows a pre-dose no-go as a medium alert naming the reading and the limit', () => {
    const now = T0 + 2 * 60_000;
    const tile = renderTile(
      eventLog().raise(
        60_000,
        'n1',
        'medium',
        'BP 172/96 >= 160/100: dose blocked',
        'predose_no_go',
      ),
      now,
    );
    expect(within(tile).getByTestId('tile-alert')).toHaveTextContent(
      '◆Medium BP 172/96 >= 160/100: dose blocked',
    );
    expect(tile).toHaveClass('tile-medium');
  });

  it('shows a silenced alert as silenced, with the time until its sound returns', () => {
    const now = T0 + 30 * 60_000;
    const log = eventLog()
      .raise(29 * 60_000, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low')
      .add('alert.silenced', 29 * 60_000 + 30_000, {
        alertId: 'a1',
        condition: 'spo2_low',
        priority: 'high',
        by: 'c1',
        minutes: 2,
        silencedUntil: iso(29 * 60_000 + 150_000),
      });
    const line = within(renderTile(log, now)).getByTestId('tile-alert');
    expect(line).toHaveTextContent('unacknowledged · ◷ silenced 1:30');
  });

  it('says "reopened" on the tile when an acknowledged alert is open again', () => {
    const now = T0 + 5 * 60_000;
    const tile = renderTile(
      eventLog()
        .raise(0, 'a1', 'high', 'SpO2 90 <= 91', 'spo2_low')
        .add('alert.acknowledged', 10_000, { alertId: 'a1', by: 'u1' })
        .update(60_000, 'a1', {
          reason: 'reopened',
          reopened: true,
          priority: 'high',
          previousPriority: 'high',
          message: 'SpO2 89 <= 91',
        }),
      now,
    );
    expect(within(tile).getByTestId('tile-alert')).toHaveTextContent(
      'SpO2 89 <= 91reopened, unacknowledged',
    );
  });

  it('never shows a partial NEWS2 as low: partial total, "incomplete", what is missing, no band', () => {
    const now = T0 + 10 * 60_000;
    const tile = renderTile(
      eventLog().vitals(now - T0 - 5_000, { spo2: 97, heart_rate: 70, bp_systolic: 120 }),
      now,
      undefined,
      'detail',
    );
    const news2 = within(tile).getByTestId('news2');
    expect(news2).toHaveTextContent(
      'NEWS2 0 incomplete · missing: resp. rate, O2 therapy, consciousness, temp.',
    );
    expect(news2).toHaveClass('news2-incomplete');
    expect(news2).not.toHaveTextContent(/low/);
  });

  it('keeps the compact tile to what the protocol measures: no RR placeholder, NEWS2 missing list in a tooltip', () => {
    const now = T0 + 10 * 60_000;
    const tile = renderTile(eventLog().vitals(now - T0 - 5_000, { spo2: 97, heart_rate: 70 }), now);
    expect(tile).toHaveClass('tile-compact');
    expect(within(tile).queryByTestId('vital-resp_rate')).toBeNull();
    expect(within(tile).getByTestId('vital-bp')).toHaveTextContent('no reading');
    expect(within(tile).getByTestId('news2')).toHaveAttribute(
      'title',
      'missing: resp. rate, O2 therapy, SBP, consciousness, temp.',
    );
    tile.remove();
    const withRr = renderTile(eventLog().vitals(now - T0 - 5_000, { resp_rate: 14 }), now);
    expect(within(withRr).getByTestId('vital-resp_rate')).toHaveTextContent('14');
  });

  it('shows the band of a complete NEWS2', () => {
    const now = T0 + 10 * 60_000;
    const complete = scoreNews2({
      respRate: 22,
      spo2: 95,
      supplementalOxygen: false,
      systolic: 120,
      pulse: 95,
      consciousness: 'alert',
      temperature: 37,
    });
    const tile = renderTile(eventLog(), now, (v) => ({ ...v, news2: complete }));
    expect(within(tile).getByTestId('news2')).toHaveTextContent('NEWS2 4 low');
    expect(within(tile).getByTestId('news2')).toHaveClass('news2-low');
    tile.remove();
    const detail = renderTile(eventLog(), now, (v) => ({ ...v, news2: complete }), 'detail');
    expect(within(detail).getByTestId('news2')).toHaveTextContent('NEWS2 4 (low)');
  });

  it('names the phone as what its heartbeat is about, apart from paired devices', () => {
    const now = T0 + 2 * 60_000;
    const waiting = renderTile(eventLog(), now);
    expect(within(waiting).getByTestId('device')).toHaveTextContent('Phone: no heartbeat yet');
    waiting.remove();
    const online = renderTile(
      eventLog().add('presence.changed', 60_000, { presence: 'online', lastSeenAt: iso(60_000) }),
      now,
    );
    expect(online).toHaveTextContent('● Phone online');
    expect(online).not.toHaveTextContent(/Device/);
  });

  it('reads an ended or aborted session as ended: nothing due, no phone state', () => {
    const now = T0 + 130 * 60_000;
    const log = eventLog()
      .add('presence.changed', 60_000, { presence: 'online', lastSeenAt: iso(60_000) })
      .add('session.state_changed', 125 * 60_000, {
        from: 'monitoring',
        to: 'aborted',
        reason: 'declined',
      });
    const tile = renderTile(log, now);
    expect(within(tile).getByTestId('tile-ended')).toHaveTextContent(
      `Aborted at ${formatClock(T0 + 125 * 60_000)}`,
    );
    expect(tile).not.toHaveTextContent(/next due|overdue|Phone online|since dose/);
    expect(within(tile).queryByTestId('checkin')).toBeNull();
  });

  it('shows the overrides in force as one compact line, and judges BP against them', () => {
    const now = T0 + 40 * 60_000;
    const overrides = [
      { setting: 'spo2Low', label: 'SpO2 low limit', unit: '%', value: 88, default: 91 },
      { setting: 'sbpHigh', label: 'SBP high limit', unit: 'mm[Hg]', value: 160, default: 180 },
    ];
    const log = eventLog().vitals(now - T0 - 11 * 60_000, { bp_systolic: 165, bp_diastolic: 90 });
    const view = tileView({ ...summary('s1', 'Pat One'), ...{ overrides } }, log.model(), now);
    render(
      <MemoryRouter>
        <ul>
          <SessionTile view={view} now={now} />
        </ul>
      </MemoryRouter>,
    );
    expect(screen.getByTestId('tile-overrides')).toHaveTextContent(
      'Overrides: SpO2 low limit 88 % (default 91) · SBP high limit 160 mmHg (default 180)',
    );
    // SBP 165 is "high" for this patient (limit 160): expected every 5 min, stale after 10.
    expect(screen.getByTestId('vital-bp')).toHaveClass('vital-stale');
  });

  it('shows a tile still loading its events as loading, never as "no reading" or "no heartbeat"', () => {
    const now = T0 + 144 * 60_000;
    const view = tileView(summary('s1', 'Pat One'), undefined, now);
    render(
      <MemoryRouter>
        <ul>
          <SessionTile view={view} now={now} />
        </ul>
      </MemoryRouter>,
    );
    const tile = screen.getByTestId('tile');
    expect(tile).toHaveTextContent('Loading events…');
    expect(within(tile).getByTestId('tile-loading')).toHaveTextContent(
      'Loading check-ins and phone state…',
    );
    expect(within(tile).getByTestId('vital-bp')).toHaveTextContent('loading…');
    expect(tile).not.toHaveTextContent(/no reading|no heartbeat|overdue|Phone/);
  });
});
