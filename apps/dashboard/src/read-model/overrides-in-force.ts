import type { SessionSummary } from '@vigil/contracts';
import { createDefaultProtocol, type Protocol } from '@vigil/clinical';
import type { ProtocolChangeRecord } from './session-model';

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

/** What a protocol needs of an override: the setting and its value. */
export type OverrideValue = Pick<OverrideInForceView, 'setting' | 'value'>;

/**
 * The overrides in force just after event `seq` of a session (a replay's cursor). The session's
 * `protocol.overridden` events say what each setting they change was before and after; a setting
 * they leave alone is taken as in force now, since a change made while the patient had no live
 * session is in no session's log.
 */
export function overridesAsOf(
  inForceNow: readonly OverrideValue[],
  changes: readonly ProtocolChangeRecord[],
  seq: number,
): OverrideValue[] {
  const values = new Map<string, number | null>(inForceNow.map((o) => [o.setting, o.value]));
  const settled = new Set<string>();
  // In seq order: the last change up to `seq` holds; with none, what the first later one replaced.
  for (const c of changes) {
    if (c.seq <= seq) values.set(c.setting, c.value);
    else if (!settled.has(c.setting)) values.set(c.setting, c.previous);
    settled.add(c.setting);
  }
  return [...values].flatMap(([setting, value]) => (value === null ? [] : [{ setting, value }]));
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
  overrides: readonly OverrideValue[],
): Protocol {
  const protocol = createDefaultProtocol(route);
  for (const o of overrides) SETTING_PATHS[o.setting]?.(protocol, o.value);
  return protocol;
}
