import { READING_RANGES, type ReadingKind } from '@vigil/contracts';
import { issue, type Issue } from './operation-outcome';
import { convertTo } from './ucum';

export const UCUM = 'http://unitsofmeasure.org';

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `valueQuantity` in UCUM, converted to the reading's unit and range-checked. */
export function readQuantity(
  owner: Json,
  path: string,
  kind: ReadingKind,
  issues: Issue[],
): number | null {
  const range = READING_RANGES[kind];
  const q = owner.valueQuantity;
  if (q === undefined) {
    const other = Object.keys(owner).find(
      (k) => k.startsWith('value') && k !== 'valueQuantity' && owner[k] !== undefined,
    );
    issues.push(
      other
        ? issue('invalid', `${path}.${other}`, `must be a valueQuantity in ${range.unit}`)
        : issue(
            'required',
            `${path}.valueQuantity`,
            owner.dataAbsentReason !== undefined
              ? 'is absent (dataAbsentReason): nothing to store'
              : `is required (a number in ${range.unit})`,
          ),
    );
    return null;
  }
  const qp = `${path}.valueQuantity`;
  if (!isObject(q)) {
    issues.push(issue('invalid', qp, 'must be a Quantity'));
    return null;
  }
  // "< 70 %" is not 70 %: a reading has no way to carry the comparator.
  if (q.comparator !== undefined) {
    issues.push(issue('not-supported', `${qp}.comparator`, 'a reading must be an exact value'));
    return null;
  }
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    issues.push(issue('required', `${qp}.value`, 'is required (a number)'));
    return null;
  }
  if (q.system !== undefined && q.system !== UCUM) {
    issues.push(issue('code-invalid', `${qp}.system`, `must be ${UCUM}`));
    return null;
  }
  const unit = typeof q.code === 'string' ? q.code : null;
  if (unit === null) {
    issues.push(issue('required', `${qp}.code`, `is required (a UCUM unit, e.g. ${range.unit})`));
    return null;
  }
  const converted = convertTo(q.value, unit, range.unit);
  if (!converted.ok) {
    issues.push(
      issue('code-invalid', `${qp}.code`, `${converted.reason}: ${kind} is kept in ${range.unit}`),
    );
    return null;
  }
  if (converted.value < range.min || converted.value > range.max) {
    issues.push(
      issue(
        'value',
        `${qp}.value`,
        `${kind} ${converted.value} is outside the plausible range ${range.min}-${range.max} ${range.unit}`,
      ),
    );
    return null;
  }
  return converted.value;
}
