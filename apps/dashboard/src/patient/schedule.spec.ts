import type { SessionEvent } from '@vigil/contracts';
import type { OutboxItem } from '@vigil/outbox';
import { bpChecks, lastCheckInAt, nextCheckInDue, scheduleFor } from './schedule';

const MIN = 60_000;
const dosedAt = Date.parse('2026-11-26T10:00:00Z');
const at = (m: number) => new Date(dosedAt + m * MIN).toISOString();

describe('check-in and BP schedule (default oral protocol)', () => {
  const schedule = scheduleFor('oral');

  it('takes 15-minute check-ins, 45-minute peak BP and 120 minutes of monitoring from the protocol', () => {
    expect(schedule).toEqual({
      checkInIntervalMs: 15 * MIN,
      peakBpMs: 45 * MIN,
      minMonitoringMs: 120 * MIN,
    });
  });

  it('counts the next check-in from the later of the dose and the last check-in, sent or not', () => {
    expect(nextCheckInDue(dosedAt, null, schedule)).toBe(dosedAt + 15 * MIN);
    // Made at 12 min (it waited 2 min on the phone), recorded at 14.
    const events = [
      {
        type: 'checkin.recorded',
        seq: 4,
        at: at(14),
        data: { moaas: 5, takenAt: at(12), waitedMs: 2 * MIN },
      },
    ] as unknown as SessionEvent[];
    const items = [
      {
        kind: 'checkin',
        status: 'pending',
        body: { moaas: 4, takenAt: at(20) },
        createdAt: at(20),
      },
    ] as unknown as OutboxItem[];
    expect(lastCheckInAt(events, [], 0)).toBe(dosedAt + 12 * MIN);
    expect(nextCheckInDue(dosedAt, lastCheckInAt(events, items, 0), schedule)).toBe(
      dosedAt + 35 * MIN,
    );
  });

  it("counts a recorded check-in from when the server says it was made, not its takenAt (the phone's clock)", () => {
    // A phone 10 min fast, sent at once: takenAt 10 min after its arrival.
    const events = [
      {
        type: 'checkin.recorded',
        seq: 4,
        at: at(20),
        data: { moaas: 5, takenAt: at(30), waitedMs: 0 },
      },
    ] as unknown as SessionEvent[];
    expect(lastCheckInAt(events, [], -10 * MIN)).toBe(dosedAt + 20 * MIN);
    // Its outbox item, delivered as that event, is the same check-in: the server's time wins.
    const mine = [
      { kind: 'checkin', status: 'delivered', seq: 4, body: { moaas: 5, takenAt: at(30) } },
    ] as unknown as OutboxItem[];
    expect(lastCheckInAt(events, mine, 0)).toBe(dosedAt + 20 * MIN);
    // Not sent yet, it is moved onto the server's clock by the phone's offset.
    expect(lastCheckInAt([], [{ ...mine[0], status: 'pending', seq: undefined }], -10 * MIN)).toBe(
      dosedAt + 20 * MIN,
    );
  });

  it('does not count a check-in without MOAA/S (a note alone), sent or not', () => {
    const events = [
      { type: 'checkin.recorded', at: at(14), data: { note: 'fine', takenAt: at(12) } },
    ] as unknown as SessionEvent[];
    const items = [
      {
        kind: 'checkin',
        status: 'pending',
        body: { nausea: 2, takenAt: at(20) },
        createdAt: at(20),
      },
    ] as unknown as OutboxItem[];
    expect(lastCheckInAt(events, items, 0)).toBeNull();
  });

  it('marks the peak BP check done by a reading from 10 minutes before it on', () => {
    const reading = (m: number) =>
      [
        {
          kind: 'vitals',
          status: 'pending',
          body: { readings: [{ kind: 'bp_systolic', value: 130, measuredAt: at(m) }] },
        },
      ] as unknown as OutboxItem[];
    expect(bpChecks(dosedAt, schedule, [], reading(20), 0).map((c) => c.done)).toEqual([
      false,
      false,
    ]);
    expect(bpChecks(dosedAt, schedule, [], reading(36), 0).map((c) => c.done)).toEqual([
      true,
      false,
    ]);
    expect(bpChecks(dosedAt, schedule, [], reading(115), 0)[1]).toEqual({
      label: 'end',
      at: dosedAt + 120 * MIN,
      done: true,
    });
  });
});
