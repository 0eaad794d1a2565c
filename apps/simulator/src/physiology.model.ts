import { activeEvent, type AdverseEvent } from './adverse-events';
import { noiseAt, normalClamped, uniform, type Random } from './prng';

/**
 * Pure physiology of one oral ketamine session (../../shared/CLINICAL.md): oral Tmax about
 * 0.75-1 h, so BP peaks around 45 min after the dose and returns towards baseline over 2-4 h
 * (typical systolic rise 10-25 mmHg); heart rate rises a little; sedation (MOAA/S) and
 * dissociation follow the same curve. Time is simulated minutes after the dose (negative
 * before it). No clock, no I/O: the runner samples it.
 */
export interface PatientProfile {
  baselineSbp: number;
  baselineDbp: number;
  baselineHr: number;
  baselineSpo2: number;
  sbpRise: number;
  dbpRise: number;
  hrRise: number;
  /** Minutes after the dose when the effect peaks. */
  peakMin: number;
  /** Width of the effect curve: higher is narrower. */
  shape: number;
  dissociationPeak: number;
  /** 0-1.4: how far MOAA/S drops at the peak (rounded, so most patients stay at 5). */
  sedationDepth: number;
  nauseaPeak: number;
  anxietyBase: number;
  noiseSeed: number;
}

export interface Vitals {
  sbp: number;
  dbp: number;
  hr: number;
  spo2: number;
}

export interface CheckInValues {
  moaas: number;
  dissociation: number;
  nausea: number;
  anxiety: number;
}

export interface SessionPhysiology {
  profile: PatientProfile;
  events: readonly AdverseEvent[];
}

/** Baselines kept under the 140/90 caution line so every simulated screening is a go. */
export function drawProfile(rng: Random): PatientProfile {
  const sbpRise = uniform(rng, 10, 25);
  return {
    baselineSbp: Math.round(normalClamped(rng, 122, 8, 106, 136)),
    baselineDbp: Math.round(normalClamped(rng, 77, 5, 64, 86)),
    baselineHr: Math.round(normalClamped(rng, 72, 7, 56, 92)),
    baselineSpo2: Math.round(normalClamped(rng, 97.5, 0.8, 96, 99)),
    sbpRise,
    dbpRise: sbpRise * uniform(rng, 0.45, 0.7),
    hrRise: uniform(rng, 4, 12),
    peakMin: normalClamped(rng, 47, 5, 40, 58),
    shape: uniform(rng, 1.4, 1.8),
    dissociationPeak: uniform(rng, 2.5, 7),
    sedationDepth: uniform(rng, 0, 1.4),
    nauseaPeak: uniform(rng, 0, 4),
    anxietyBase: uniform(rng, 0, 3),
    noiseSeed: Math.floor(rng() * 2 ** 31),
  };
}

/**
 * Drug effect from 0 to 1: a gamma-shaped curve, 1 at the peak, about half by 2 h and under a
 * tenth by 4 h. Zero before the dose.
 */
export function effectAt(profile: PatientProfile, minutes: number): number {
  if (minutes <= 0) return 0;
  const x = minutes / profile.peakMin;
  return Math.pow(x, profile.shape) * Math.exp(profile.shape * (1 - x));
}

/** The rises this session reaches at the peak, a hypertensive spike included. */
export function peakRises(p: SessionPhysiology): { sbp: number; dbp: number } {
  const spike = p.events.find((e) => e.kind === 'hypertensive_spike');
  if (!spike?.level) return { sbp: p.profile.sbpRise, dbp: p.profile.dbpRise };
  const sbp = spike.level - p.profile.baselineSbp;
  // Diastolic rises less; kept under 115 so the spike reads as systolic hypertension.
  const dbp = Math.min(Math.max(p.profile.dbpRise, sbp * 0.4), 112 - p.profile.baselineDbp);
  return { sbp, dbp };
}

/** Noise-free values: what the tests hold against the published ranges. */
export function meanVitalsAt(p: SessionPhysiology, minutes: number): Vitals {
  const e = effectAt(p.profile, minutes);
  const rise = peakRises(p);
  const desat = activeEvent(p.events, 'desaturation', minutes);
  return {
    sbp: p.profile.baselineSbp + rise.sbp * e,
    dbp: p.profile.baselineDbp + rise.dbp * e,
    hr: p.profile.baselineHr + p.profile.hrRise * e,
    spo2: desat?.level ?? p.profile.baselineSpo2,
  };
}

const STREAM = { sbp: 1, dbp: 2, hr: 3, spo2: 4, moaas: 5, dissociation: 6, nausea: 7, anxiety: 8 };

/** A measurement at `minutes`: the mean plus device noise (cuff +/-4 mmHg, oximeter +/-1). */
export function measureVitals(p: SessionPhysiology, minutes: number): Vitals {
  const mean = meanVitalsAt(p, minutes);
  const step = Math.round(minutes * 60);
  const n = (stream: number) => noiseAt(p.profile.noiseSeed, stream, step);
  const desaturating = activeEvent(p.events, 'desaturation', minutes) !== undefined;
  const spo2 = Math.round(mean.spo2 + 0.6 * n(STREAM.spo2));
  return {
    sbp: Math.round(mean.sbp + 4 * n(STREAM.sbp)),
    dbp: Math.round(mean.dbp + 3 * n(STREAM.dbp)),
    hr: Math.round(mean.hr + 1.5 * n(STREAM.hr)),
    // A desaturation holds in its band (88-91) so the alarm condition is sustained, not flickering.
    spo2: desaturating ? Math.min(91, Math.max(88, spo2)) : Math.min(100, Math.max(94, spo2)),
  };
}

const clampInt = (v: number, min: number, max: number) =>
  Math.min(max, Math.max(min, Math.round(v)));

/** What the patient and support person report at a check-in. */
export function checkInAt(p: SessionPhysiology, minutes: number): CheckInValues {
  const e = effectAt(p.profile, minutes);
  const step = Math.round(minutes);
  const n = (stream: number) => noiseAt(p.profile.noiseSeed, stream, step);
  const oversedated = activeEvent(p.events, 'oversedation', minutes) !== undefined;
  return {
    moaas: oversedated ? 2 : clampInt(5 - p.profile.sedationDepth * e, 3, 5),
    dissociation: oversedated
      ? 9
      : clampInt(p.profile.dissociationPeak * e + 0.7 * n(STREAM.dissociation), 0, 10),
    nausea: clampInt(p.profile.nauseaPeak * e + 0.5 * n(STREAM.nausea), 0, 10),
    anxiety: clampInt(p.profile.anxietyBase + 0.7 * n(STREAM.anxiety), 0, 10),
  };
}
