import type { SessionEvent } from '@vigil/contracts';
import { eventLog, iso } from '../../read-model/testing';
import { applyProvenance, emptyProvenance, originLabel } from './device-provenance';

const OX = {
  id: 'd-ox',
  kind: 'pulse_oximeter',
  manufacturer: 'Masimo',
  model: 'MightySat',
  via: 'socket',
};
const CUFF = { id: 'd-cuff', kind: 'bp_cuff', manufacturer: 'Omron', model: 'BP7450', via: 'fhir' };

function log() {
  const l = eventLog();
  l.add('vitals.recorded', 1_000, {
    readings: [
      { kind: 'spo2', value: 97, measuredAt: iso(900), source: 'device' },
      { kind: 'heart_rate', value: 72, measuredAt: iso(900), source: 'device' },
    ],
    device: OX,
  });
  l.add('checkin.recorded', 2_000, { moaas: 5 });
  l.add('vitals.recorded', 3_000, {
    readings: [
      { kind: 'bp_systolic', value: 131, measuredAt: iso(2_500), source: 'device' },
      { kind: 'bp_diastolic', value: 84, measuredAt: iso(2_500), source: 'device' },
    ],
    device: CUFF,
  });
  l.add('vitals.recorded', 4_000, {
    readings: [{ kind: 'heart_rate', value: 75, measuredAt: iso(3_900), source: 'manual' }],
  });
  return l.events;
}

describe('reading provenance from the session log', () => {
  it('names the device of the latest reading of each kind, or says it was typed in', () => {
    const p = applyProvenance(emptyProvenance(), log());
    expect(p.latest.spo2?.device?.id).toBe('d-ox');
    expect(p.latest.bp_systolic?.device?.id).toBe('d-cuff');
    expect(p.latest.heart_rate).toMatchObject({ value: 75, device: null, source: 'manual' });
    expect(originLabel(p.latest.heart_rate!)).toBe('Typed in on the phone');
    expect(originLabel(p.latest.spo2!)).toBe('Pulse oximeter · Masimo MightySat');
  });

  it('tracks when each device last reported (the commit time), newest first', () => {
    const p = applyProvenance(emptyProvenance(), log());
    expect(p.byDevice.map((a) => [a.device.id, a.lastReportedAt, a.readings])).toEqual([
      ['d-cuff', iso(3_000), 2],
      ['d-ox', iso(1_000), 2],
    ]);
    expect(p.recent[0]).toMatchObject({ kind: 'heart_rate', value: 75 });
  });

  it('ignores events it has already seen (a resync re-delivers them)', () => {
    const events: SessionEvent[] = log();
    const once = applyProvenance(emptyProvenance(), events);
    expect(applyProvenance(once, events)).toBe(once);
  });
});
