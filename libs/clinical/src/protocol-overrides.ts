import type { OverrideMark, Protocol, SourcedValue } from './protocol';
import { hasText, reason, type Reason } from './reasons';
import { isFiniteNumber, toEpochMs, toIso, type Instant } from './time';

/**
 * CLINICAL.md v2 "Locked and bounded settings": a per-patient override may only move one of
 * these settings, and only within its bounds. Everything else is locked: the silence maximum,
 * help and emergency symptoms being high, the 120 minutes of monitoring, and escalation times
 * beyond 2 min (high) and 5 min (medium), which may be shortened, never lengthened.
 */
export interface OverridableSetting {
  label: string;
  section: 'alerts' | 'timings';
  key: string;
  unit: string;
  min: number;
  max: number;
}

export const OVERRIDABLE_SETTINGS = {
  spo2Low: {
    label: 'SpO2 low limit (high)',
    section: 'alerts',
    key: 'spo2Low',
    unit: '%',
    min: 85,
    max: 94,
  },
  spo2Borderline: {
    label: 'SpO2 borderline limit (medium)',
    section: 'alerts',
    key: 'spo2Borderline',
    unit: '%',
    min: 85,
    max: 94,
  },
  sbpHigh: {
    label: 'SBP high limit',
    section: 'alerts',
    key: 'sbpHigh',
    unit: 'mm[Hg]',
    min: 160,
    max: 200,
  },
  dbpHigh: {
    label: 'DBP high limit',
    section: 'alerts',
    key: 'dbpHigh',
    unit: 'mm[Hg]',
    min: 100,
    max: 120,
  },
  hrHigh: {
    label: 'Heart rate high limit',
    section: 'alerts',
    key: 'hrHigh',
    unit: '/min',
    min: 100,
    max: 150,
  },
  rrLow: {
    label: 'Resp. rate low limit',
    section: 'alerts',
    key: 'rrLow',
    unit: '/min',
    min: 6,
    max: 10,
  },
  streamDelay: {
    label: 'Stream alarm delay',
    section: 'timings',
    key: 'continuousHoldDelay',
    unit: 's',
    min: 5,
    max: 30,
  },
  preDoseRest: {
    label: 'Rest before re-measuring after a no-go',
    section: 'timings',
    key: 'preDoseRest',
    unit: 'min',
    min: 5,
    max: 30,
  },
  escalationHigh: {
    label: 'Escalation of a high alert',
    section: 'timings',
    key: 'escalationHigh',
    unit: 'min',
    min: 0.5,
    max: 2,
  },
  escalationMedium: {
    label: 'Escalation of a medium alert',
    section: 'timings',
    key: 'escalationMedium',
    unit: 'min',
    min: 0.5,
    max: 5,
  },
  reminderInterval: {
    label: 'Escalation reminder interval',
    section: 'timings',
    key: 'reminderInterval',
    unit: 'min',
    min: 0.5,
    max: 2,
  },
} as const satisfies Record<string, OverridableSetting>;

export type OverridableSettingName = keyof typeof OVERRIDABLE_SETTINGS;
export const OVERRIDABLE_SETTING_NAMES = Object.keys(
  OVERRIDABLE_SETTINGS,
) as OverridableSettingName[];

export function isOverridableSetting(name: string): name is OverridableSettingName {
  return Object.hasOwn(OVERRIDABLE_SETTINGS, name);
}

/** A per-patient change to one bounded setting, e.g. `{ setting: 'spo2Low', value: 88, ... }`. */
export interface ProtocolOverride {
  setting: string;
  value: number;
  reason: string;
  by: string;
  at: Instant;
}

export interface RejectedOverride {
  override: ProtocolOverride;
  reasons: Reason[];
}

export interface ApplyOverridesResult {
  /** True when every override was applied. */
  ok: boolean;
  protocol: Protocol;
  applied: ProtocolOverride[];
  rejected: RejectedOverride[];
}

/** "spo2Low must be from 85 to 94 %": the sentence a refusal names the setting and bounds with. */
export function describeBounds(name: OverridableSettingName): string {
  const s = OVERRIDABLE_SETTINGS[name];
  return `${name} (${s.label}) must be from ${s.min} to ${s.max} ${s.unit}`;
}

/** The entry a setting moves in a protocol. */
export function settingEntry(protocol: Protocol, name: OverridableSettingName): SourcedValue {
  const s = OVERRIDABLE_SETTINGS[name];
  return (protocol[s.section] as unknown as Record<string, SourcedValue>)[s.key];
}

/** Checks one override alone: a reason, an author, a time, a known setting within its bounds. */
export function validateOverride(override: ProtocolOverride): Reason[] {
  const reasons: Reason[] = [];
  if (!hasText(override.reason)) {
    reasons.push(reason('reason_required', 'An override needs a written clinical reason.'));
  }
  if (!hasText(override.by)) {
    reasons.push(reason('author_required', 'An override must name the clinician who made it.'));
  }
  if (toEpochMs(override.at) === null) {
    reasons.push(reason('time_required', 'An override must record when it was made.'));
  }
  const name = override.setting;
  if (!isOverridableSetting(name)) {
    reasons.push(
      reason(
        'locked_setting',
        `"${String(name)}" cannot be overridden per patient; the settings that can are ${OVERRIDABLE_SETTING_NAMES.join(', ')}.`,
      ),
    );
    return reasons;
  }
  const { min, max } = OVERRIDABLE_SETTINGS[name];
  if (!isFiniteNumber(override.value) || override.value < min || override.value > max) {
    reasons.push(reason('out_of_bounds', `${describeBounds(name)}.`));
  }
  return reasons;
}

/**
 * Applies valid overrides in order and reports the others with reasons; never throws and never
 * mutates the input protocol. Callers that must be all-or-nothing check `ok`.
 */
export function applyOverrides(
  protocol: Protocol,
  overrides: readonly ProtocolOverride[],
): ApplyOverridesResult {
  const next = JSON.parse(JSON.stringify(protocol)) as Protocol;
  const applied: ProtocolOverride[] = [];
  const rejected: RejectedOverride[] = [];
  for (const override of overrides) {
    const reasons = validateOverride(override);
    if (reasons.length > 0 || !isOverridableSetting(override.setting)) {
      rejected.push({ override, reasons });
      continue;
    }
    const entry = settingEntry(next, override.setting);
    const mark: OverrideMark = {
      previous: entry.value,
      reason: override.reason.trim(),
      by: override.by,
      at: toIso(toEpochMs(override.at) ?? 0),
    };
    entry.override = mark;
    entry.value = override.value;
    applied.push(override);
  }
  // A borderline limit below the low limit would never sound: refuse the pair, keep the rest.
  if (next.alerts.spo2Borderline.value < next.alerts.spo2Low.value) {
    const culprit = applied.find((o) => o.setting === 'spo2Borderline' || o.setting === 'spo2Low');
    if (culprit) return withRejected(protocol, overrides, culprit);
  }
  return { ok: rejected.length === 0, protocol: next, applied, rejected };
}

function withRejected(
  protocol: Protocol,
  overrides: readonly ProtocolOverride[],
  culprit: ProtocolOverride,
): ApplyOverridesResult {
  const rest = applyOverrides(
    protocol,
    overrides.filter((o) => o !== culprit),
  );
  return {
    ...rest,
    ok: false,
    rejected: [
      ...rest.rejected,
      {
        override: culprit,
        reasons: [
          reason(
            'inconsistent',
            'spo2Borderline (medium) must be at or above spo2Low (high), or it would never sound.',
          ),
        ],
      },
    ],
  };
}
