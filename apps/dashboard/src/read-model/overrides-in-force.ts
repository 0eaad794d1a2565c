import type { SessionSummary } from '@vigil/contracts';
import { createDefaultProtocol, type Protocol } from '@vigil/clinical';

/** A per-patient protocol override in force, as a session summary lists it (contract v1.1). */
export interface OverrideInForceView {
  setting: string;
  label: string;
  unit: string;
  value: number;
  default: number;
}

const isOverride = (v: unknown): v is OverrideInForceView => {
  const o = v as Partial<OverrideInForceView> | null;
  return (
    typeof o?.setting === 'string' &&
    typeof o.label === 'string' &&
    typeof o.value === 'number' &&
    typeof o.default === 'number'
  );
};

/**
 * The overrides in force from a session summary. Read defensively: a server that does not send
 * the field yet (or sends something else) means "none known", never a crash.
 */
export function overridesOf(summary: SessionSummary): OverrideInForceView[] {
  const raw = (summary as unknown as { overrides?: unknown }).overrides;
  return Array.isArray(raw) ? raw.filter(isOverride) : [];
}

/** UCUM units as a clinician reads them ("mm[Hg]" is "mmHg"). */
export function unitLabel(unit: string): string {
  return unit === 'mm[Hg]' ? 'mmHg' : unit;
}

/** "SpO2 low limit 88 % (default 91)": the value in force and what it replaces. */
export function describeOverride(o: OverrideInForceView): string {
  const unit = o.unit ? ` ${unitLabel(o.unit)}` : '';
  return `${o.label} ${o.value}${unit} (default ${o.default})`;
}

type Setter = (p: Protocol, value: number) => void;

/** Where each bounded setting (CLINICAL.md v2) lives in a protocol, for what this screen draws. */
const SETTING_PATHS: Record<string, Setter> = {
  spo2Low: (p, v) => (p.alerts.spo2Low.value = v),
  spo2Borderline: (p, v) => (p.alerts.spo2Borderline.value = v),
  sbpHigh: (p, v) => (p.alerts.sbpHigh.value = v),
  dbpHigh: (p, v) => (p.alerts.dbpHigh.value = v),
  hrHigh: (p, v) => (p.alerts.hrHigh.value = v),
  rrLow: (p, v) => (p.alerts.rrLow.value = v),
  streamDelay: (p, v) => (p.timings.continuousHoldDelay.value = v),
  escalationHigh: (p, v) => (p.timings.escalationHigh.value = v),
  escalationMedium: (p, v) => (p.timings.escalationMedium.value = v),
  reminderInterval: (p, v) => (p.timings.reminderInterval.value = v),
};

/**
 * The default protocol for the route with the patient's overrides in force applied, so chart
 * bands, limits and staleness show this patient's limits. For display only: the server judges
 * alerts with its own copy.
 */
export function protocolWithOverrides(
  route: 'oral' | 'sublingual',
  overrides: readonly OverrideInForceView[],
): Protocol {
  const protocol = createDefaultProtocol(route);
  for (const o of overrides) SETTING_PATHS[o.setting]?.(protocol, o.value);
  return protocol;
}
