import '../../shared/testing/jsdom-polyfills';
import { render, screen } from '@testing-library/react';
import { createDefaultProtocol } from '@vigil/clinical';
import { formatClock } from '../../read-model/staleness';
import { eventLog, iso, T0 } from '../../read-model/testing';
import { CheckInTimeline } from './CheckInTimeline';
import { VitalsCharts } from './VitalsCharts';

const MIN = 60_000;

describe('VitalsCharts', () => {
  it('says "stale" in a chart summary by the rule of its kind, never showing an old value as live', () => {
    const now = T0 + 40 * MIN;
    const model = eventLog()
      .vitals(30 * MIN, { bp_systolic: 128, bp_diastolic: 80 })
      .vitals(now - T0 - 45_000, { spo2: 96, heart_rate: 72 })
      .vitals(now - T0 - 5_000, { heart_rate: 74 })
      .model();
    render(
      <VitalsCharts
        model={model}
        dosedAt={iso(0)}
        protocol={createDefaultProtocol('oral')}
        now={now}
      />,
    );
    expect(screen.getByRole('figure', { name: /^SpO2/ })).toHaveAccessibleName(
      /latest 96 %, STALE, 45 s ago/,
    );
    expect(screen.getByRole('figure', { name: /^Heart rate/ })).toHaveAccessibleName(
      /latest 74 \/min, 5 s ago/,
    );
    // A BP 10 min old is on schedule (every 15 min in the first 2 h): not stale.
    expect(screen.getByRole('figure', { name: /^Blood pressure/ })).toHaveAccessibleName(
      /latest 128 systolic, 10 min ago/,
    );
    // SBP and DBP told apart by shape and dash as well as colour.
    expect(screen.getByTestId('trend-legend')).toHaveTextContent('▼ SBP (solid) ▲ DBP (dashed)');
  });
});

describe('CheckInTimeline', () => {
  it('shows MOAA/S 4 below a pre-dose 5 as expected drowsiness, and warns from MOAA/S 3', () => {
    const log = eventLog()
      .checkIn(15 * MIN, { moaas: 4 })
      .checkIn(30 * MIN, { moaas: 3 });
    render(<CheckInTimeline checkIns={log.model().checkIns} dosedAt={iso(0)} baselineMoaas={5} />);
    const [three, four] = screen.getAllByRole('row').slice(1);
    expect(four).toHaveTextContent('4/5 ▼ below pre-dose 5 (drowsy, expected)');
    expect(four.querySelector('.cell-warn')).toBeNull();
    expect(three).toHaveTextContent('3/5 ▼ below pre-dose 5');
    expect(three.querySelector('.cell-warn')).not.toBeNull();
  });

  it("places a check-in by when it was made on the server's clock, not its phone's takenAt", () => {
    // The phone runs 10 min slow; the dose time it sent is the server's (the phone's dose form
    // sends it so). A check-in made 5 min after the dose, sent at once, reads 5 min BEFORE it by
    // the phone's clock; the alert engine counts it from when it was made (arrival less its wait).
    const log = eventLog().checkIn(5 * MIN, { moaas: 5, takenAt: iso(-5 * MIN), waitedMs: 0 });
    render(<CheckInTimeline checkIns={log.model().checkIns} dosedAt={iso(0)} baselineMoaas={5} />);
    const [row] = screen.getAllByRole('row').slice(1);
    expect(row).toHaveTextContent(`${formatClock(iso(5 * MIN))} (+5 min)`);
  });
});
