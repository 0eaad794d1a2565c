import { ALERT_PRIORITIES, type AlertPriority } from '@vigil/contracts';
import type { OverrideMark, Protocol } from './protocol';
import { hasText, reason, type Reason } from './reasons';
import { isFiniteNumber, toEpochMs, toIso, type Instant } from './time';

/**
 * A per-patient change to one protocol entry, e.g.
 * `{ path: 'preDose.noGoDbp.value', value: 95, reason: 'Known baseline 150/95', by, at }`.
 * A path names a leaf `value` or `priority` of a sourced entry in timings, preDose, alerts
 * or priorities.
 */
export interface ProtocolOverride {
  path: string;
  value: number | AlertPriority;
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

const SECTIONS = ['timings', 'preDose', 'alerts', 'priorities'] as const;
type Section = (typeof SECTIONS)[number];
type Entry = { source: string; override?: OverrideMark } & Record<string, unknown>;

/**
 * Applies valid overrides in order and reports the others with reasons; never throws and
 * never mutates the input protocol. Callers that must be all-or-nothing check `ok`.
 */
export function applyOverrides(
  protocol: Protocol,
  overrides: readonly ProtocolOverride[],
): ApplyOverridesResult {
  const next = cloneProtocol(protocol);
  const applied: ProtocolOverride[] = [];
  const rejected: RejectedOverride[] = [];
  for (const override of overrides) {
    const reasons = validate(next, override);
    if (reasons.length > 0) {
      rejected.push({ override, reasons });
      continue;
    }
    const [section, key, leaf] = override.path.split('.') as [
      Section,
      string,
      'value' | 'priority',
    ];
    const entry = sectionOf(next, section)[key];
    entry.override = {
      previous: entry[leaf] as number | AlertPriority,
      reason: override.reason.trim(),
      by: override.by,
      at: toIso(toEpochMs(override.at) ?? 0),
    };
    entry[leaf] = override.value;
    applied.push(override);
  }
  return { ok: rejected.length === 0, protocol: next, applied, rejected };
}

/** Every path an override may name, for forms and API validation. */
export function overridablePaths(protocol: Protocol): string[] {
  const paths: string[] = [];
  for (const section of SECTIONS) {
    for (const [key, entry] of Object.entries(sectionOf(protocol, section))) {
      if ('value' in entry) paths.push(`${section}.${key}.value`);
      if ('priority' in entry) paths.push(`${section}.${key}.priority`);
    }
  }
  return paths;
}

function validate(protocol: Protocol, override: ProtocolOverride): Reason[] {
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
  const path = typeof override.path === 'string' ? override.path : '';
  if (!overridablePaths(protocol).includes(path)) {
    reasons.push(reason('unknown_path', `"${path}" is not a setting of this protocol.`));
    return reasons;
  }
  const leaf = path.split('.')[2];
  if (leaf === 'priority' && !ALERT_PRIORITIES.includes(override.value as AlertPriority)) {
    reasons.push(
      reason('invalid_value', `Priority must be one of ${ALERT_PRIORITIES.join(', ')}.`),
    );
  }
  if (leaf === 'value' && !(isFiniteNumber(override.value) && override.value >= 0)) {
    reasons.push(reason('invalid_value', 'A threshold or timing must be a number of 0 or more.'));
  }
  return reasons;
}

function sectionOf(protocol: Protocol, section: Section): Record<string, Entry> {
  return protocol[section] as unknown as Record<string, Entry>;
}

function cloneProtocol(protocol: Protocol): Protocol {
  return JSON.parse(JSON.stringify(protocol)) as Protocol;
}
