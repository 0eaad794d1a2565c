import type { ReadingKind } from '@vigil/contracts';
import { NumberField } from './NumberField';

/** The readings a patient types in from the cuff and the finger clip. */
export type TypedVital = 'bp_systolic' | 'bp_diastolic' | 'heart_rate' | 'spo2';

export const VITAL_FIELDS: ReadonlyArray<{ kind: TypedVital; label: string; unit: string }> = [
  { kind: 'bp_systolic', label: 'Top number', unit: 'mmHg' },
  { kind: 'bp_diastolic', label: 'Bottom number', unit: 'mmHg' },
  { kind: 'heart_rate', label: 'Heart rate', unit: '/min' },
  { kind: 'spo2', label: 'Oxygen (SpO2)', unit: '%' },
];
/** The two blood pressure numbers side by side, then pulse and oxygen. */
const ROWS = [VITAL_FIELDS.slice(0, 2), VITAL_FIELDS.slice(2)];

interface VitalsFieldsProps {
  /** Each reading's typed text, where it changes, and its message. */
  field: (kind: TypedVital) => { value: string; onChange: (v: string) => void; error?: string };
  /** The readings marked "if you have it". */
  optional?: readonly ReadingKind[];
}

/** Blood pressure, pulse and oxygen as the screening and the mid-session reading ask for them. */
export function VitalsFields({ field, optional = [] }: VitalsFieldsProps) {
  return ROWS.map((row) => (
    <div className="pt-row" key={row[0].kind}>
      {row.map((f) => (
        <NumberField
          key={f.kind}
          label={f.label}
          unit={f.unit}
          optional={optional.includes(f.kind)}
          {...field(f.kind)}
        />
      ))}
    </div>
  ));
}
