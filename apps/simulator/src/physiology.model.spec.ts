import { NO_ADVERSE_EVENTS, type AdverseEvent } from './adverse-events';
import {
  checkInAt,
  drawProfile,
  effectAt,
  meanVitalsAt,
  measureVitals,
  type SessionPhysiology,
} from './physiology.model';
import { mulberry32 } from './prng';
import { planSession } from './session-plan';

const patients = (n: number, events: AdverseEvent[] = []): SessionPhysiology[] =>
  Array.from({ length: n }, (_, i) => ({ profile: drawProfile(mulberry32(1000 + i)), events }));

/** The minute of the highest noise-free SBP, searched minute by minute over 4 h. */
function peakMinute(p: SessionPhysiology): number {
  let best = 0;
  for (let m = 0; m <= 240; m++) if (meanVitalsAt(p, m).sbp > meanVitalsAt(p, best).sbp) best = m;
  return best;
}

describe('oral ketamine physiology (CLINICAL.md)', () => {
  const cohort = patients(500);

  it('starts every patient under the 140/90 pre-dose caution line, with a normal SpO2', () => {
    for (const { profile } of cohort) {
      expect(profile.baselineSbp).toBeLessThanOrEqual(140);
      expect(profile.baselineDbp).toBeLessThanOrEqual(90);
      expect(profile.baselineSpo2).toBeGreaterThanOrEqual(96);
    }
  });

  it('peaks between 40 and 60 minutes after an oral dose', () => {
    for (const p of cohort) {
      expect(peakMinute(p)).toBeGreaterThanOrEqual(40);
      expect(peakMinute(p)).toBeLessThanOrEqual(60);
    }
    const mean = cohort.reduce((s, p) => s + peakMinute(p), 0) / cohort.length;
    expect(mean).toBeGreaterThan(42);
    expect(mean).toBeLessThan(52);
  });

  it('raises systolic BP by a typical 10-25 mmHg at the peak, diastolic less, HR mildly', () => {
    for (const p of cohort) {
      const base = meanVitalsAt(p, 0);
      const peak = meanVitalsAt(p, peakMinute(p));
      expect(peak.sbp - base.sbp).toBeGreaterThanOrEqual(10 - 0.01);
      expect(peak.sbp - base.sbp).toBeLessThanOrEqual(25 + 0.01);
      expect(peak.dbp - base.dbp).toBeLessThan(peak.sbp - base.sbp);
      expect(peak.hr - base.hr).toBeGreaterThan(3);
      expect(peak.hr - base.hr).toBeLessThan(13);
    }
  });

  it('is back within 10 mmHg of baseline by 4 h, still partly up at 90 min', () => {
    for (const p of cohort) {
      expect(meanVitalsAt(p, 240).sbp - p.profile.baselineSbp).toBeLessThan(10);
      expect(effectAt(p.profile, 90)).toBeGreaterThan(0.3);
    }
  });

  it('has no drug effect before the dose', () => {
    const [p] = cohort;
    expect(effectAt(p.profile, -5)).toBe(0);
    expect(meanVitalsAt(p, -5).sbp).toBe(p.profile.baselineSbp);
  });

  it('moves MOAA/S and dissociation with the same curve, and recovers', () => {
    for (const p of cohort.slice(0, 100)) {
      const peak = checkInAt(p, peakMinute(p));
      const late = checkInAt(p, 300);
      expect(peak.moaas).toBeGreaterThanOrEqual(3);
      expect(late.moaas).toBe(5);
      expect(late.dissociation).toBeLessThanOrEqual(1);
    }
    const meanDissociation = (m: number) =>
      cohort.reduce((s, p) => s + checkInAt(p, m).dissociation, 0) / cohort.length;
    expect(meanDissociation(45)).toBeGreaterThan(meanDissociation(180) + 2);
  });

  it('adds measurement noise that stays in plausible ranges', () => {
    const [p] = cohort;
    const samples = Array.from({ length: 600 }, (_, s) => measureVitals(p, 45 + s / 60));
    const sbps = new Set(samples.map((v) => v.sbp));
    expect(sbps.size).toBeGreaterThan(5);
    for (const v of samples) {
      expect(v.spo2).toBeGreaterThanOrEqual(94);
      expect(v.spo2).toBeLessThanOrEqual(100);
      expect(Math.abs(v.sbp - meanVitalsAt(p, 45).sbp)).toBeLessThan(20);
    }
  });

  it('is reproducible: the same seed gives the same patient, events and readings', () => {
    const input = {
      seed: 42,
      patientIndex: 3,
      cycle: 0,
      rates: NO_ADVERSE_EVENTS,
      speed: 1,
      fromMin: 0,
    };
    const a = planSession(input);
    const b = planSession(input);
    expect(a).toEqual(b);
    const series = (p: SessionPhysiology) => [0, 15, 30, 45.5, 90].map((m) => measureVitals(p, m));
    expect(series(a)).toEqual(series(b));
    expect(planSession({ ...input, seed: 43 }).profile).not.toEqual(a.profile);
  });
});

describe('adverse events in the physiology', () => {
  const [base] = patients(1);

  it('a hypertensive spike takes SBP above 180 at the peak and back by 4 h', () => {
    const p = {
      ...base,
      events: [{ kind: 'hypertensive_spike', startMin: 0, durationMin: 240, level: 186 }],
    } as SessionPhysiology;
    expect(meanVitalsAt(p, peakMinute(p)).sbp).toBeGreaterThan(180);
    expect(meanVitalsAt(p, peakMinute(p)).dbp).toBeLessThan(115);
    expect(meanVitalsAt(p, 240).sbp - p.profile.baselineSbp).toBeLessThan(10);
  });

  it('a desaturation holds SpO2 at 88-91% for its whole duration, then recovers', () => {
    const p = {
      ...base,
      events: [{ kind: 'desaturation', startMin: 60, durationMin: 1, level: 89 }],
    } as SessionPhysiology;
    for (let s = 0; s < 60; s++) {
      const spo2 = measureVitals(p, 60 + s / 60).spo2;
      expect(spo2).toBeGreaterThanOrEqual(88);
      expect(spo2).toBeLessThanOrEqual(91);
    }
    expect(measureVitals(p, 62).spo2).toBeGreaterThanOrEqual(94);
  });

  it('over-sedation reports MOAA/S 2 at a check-in inside it', () => {
    const p = {
      ...base,
      events: [{ kind: 'oversedation', startMin: 40, durationMin: 16 }],
    } as SessionPhysiology;
    expect(checkInAt(p, 45).moaas).toBe(2);
    expect(checkInAt(p, 60).moaas).toBeGreaterThanOrEqual(3);
  });
});
