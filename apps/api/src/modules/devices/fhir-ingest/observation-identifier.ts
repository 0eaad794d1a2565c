import { createHash } from 'node:crypto';
import { issue, type Issue } from './operation-outcome';
import { isObject } from './quantity';

export interface BusinessIdentifier {
  system: string | null;
  value: string;
}

const FIELDS = ['system', 'value'] as const;

/**
 * The Observation's business identifier, by which a retry is recognised: the first with a value,
 * or null for none. FHIR R4 makes `identifier` a list of Identifier whose `system` and `value`
 * are strings; anything else is refused naming its element. Read past, it left the device's
 * retries matched by device, code and time instead of by the identifier the device sent, so a
 * reused identifier was never the conflict it is when well formed.
 */
export function readIdentifier(identifier: unknown, issues: Issue[]): BusinessIdentifier | null {
  if (identifier === undefined) return null;
  if (!Array.isArray(identifier)) {
    issues.push(
      issue(
        'structure',
        'Observation.identifier',
        `must be a list of Identifier (got ${isObject(identifier) ? 'an object' : JSON.stringify(identifier)})`,
      ),
    );
    return null;
  }
  let first: BusinessIdentifier | null = null;
  for (const [index, item] of (identifier as unknown[]).entries()) {
    const path = `Observation.identifier[${index}]`;
    if (!isObject(item)) {
      issues.push(issue('structure', path, 'must be an Identifier (an object)'));
      continue;
    }
    const bad = FIELDS.find(
      (f) => item[f] !== undefined && (typeof item[f] !== 'string' || item[f] === ''),
    );
    if (bad) {
      const got = JSON.stringify(item[bad]);
      issues.push(issue('value', `${path}.${bad}`, `must be a non-empty string (got ${got})`));
      continue;
    }
    if (first === null && typeof item.value === 'string')
      first = { system: typeof item.system === 'string' ? item.system : null, value: item.value };
  }
  return first;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 40);

/**
 * The submission's clientId: from the business identifier, else from the device, the code and the
 * time it was measured (the same reading sent twice is the same reading). Keys already stored
 * must stay the same for a retry, hence the system's empty string when it has none.
 */
export function clientIdOf(
  identifier: BusinessIdentifier | null,
  deviceId: string,
  code: string,
  at: string,
): string {
  if (identifier) return `fhir:${sha(`${identifier.system ?? ''}|${identifier.value}`)}`;
  return `fhir:auto:${sha(`${deviceId}|${code}|${at}`)}`;
}
