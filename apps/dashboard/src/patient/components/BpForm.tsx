import { useState, type FormEvent } from 'react';
import { vitalsSubmissionSchema, type Reading, type ReadingKind } from '@vigil/contracts';
import { patientOutbox } from '../outbox/patient-outbox';
import { NumberField } from './NumberField';
import { ErrorText } from '../../shared/components/ErrorText';

interface BpFormProps {
  sessionId: string;
  onSaved: (clientId: string) => void;
  onCancel: () => void;
}

const FIELDS: Array<{ kind: ReadingKind; label: string; unit: string; optional?: boolean }> = [
  { kind: 'bp_systolic', label: 'Top number', unit: 'mmHg' },
  { kind: 'bp_diastolic', label: 'Bottom number', unit: 'mmHg' },
  { kind: 'heart_rate', label: 'Heart rate', unit: '/min', optional: true },
  { kind: 'spo2', label: 'Oxygen (SpO2)', unit: '%', optional: true },
];

/** Blood pressure (and pulse and oxygen if the cuff or oximeter shows them), typed in. */
export function BpForm({ sessionId, onSaved, onCancel }: BpFormProps) {
  const [values, setValues] = useState<Partial<Record<ReadingKind, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<ReadingKind | 'save', string>>>({});
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const measuredAt = new Date().toISOString();
    const next: typeof errors = {};
    const readings: Reading[] = [];
    for (const f of FIELDS) {
      const text = values[f.kind] ?? '';
      if (text === '') {
        if (!f.optional) next[f.kind] = `Enter the ${f.label.toLowerCase()}.`;
        continue;
      }
      // Typed in by hand: a spot reading, judged at once rather than held as a device stream.
      readings.push({ kind: f.kind, value: Number(text), measuredAt, source: 'manual' });
    }
    const parsed = vitalsSubmissionSchema.safeParse({ clientId: 'draft', readings });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const index = issue.path[1];
        if (typeof index === 'number') {
          next[readings[index].kind] = 'This number looks wrong: please measure again.';
        }
      }
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setSaving(true);
    try {
      const item = await patientOutbox.enqueue({ sessionId, kind: 'vitals', body: { readings } });
      onSaved(item.clientId);
    } catch (err) {
      setErrors({ save: `Could not save on this phone: ${(err as Error).message}` });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="pt-stack"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="bp-title"
    >
      <h2 id="bp-title">Blood pressure</h2>
      <p className="pt-lead">Sit quietly for a few minutes, then use the cuff.</p>
      <section className="pt-card">
        <div className="pt-row">
          {FIELDS.slice(0, 2).map((f) => (
            <NumberField
              key={f.kind}
              label={f.label}
              unit={f.unit}
              value={values[f.kind] ?? ''}
              onChange={(v) => setValues((s) => ({ ...s, [f.kind]: v }))}
              error={errors[f.kind]}
            />
          ))}
        </div>
        <div className="pt-row">
          {FIELDS.slice(2).map((f) => (
            <NumberField
              key={f.kind}
              label={f.label}
              unit={f.unit}
              optional
              value={values[f.kind] ?? ''}
              onChange={(v) => setValues((s) => ({ ...s, [f.kind]: v }))}
              error={errors[f.kind]}
            />
          ))}
        </div>
      </section>
      <ErrorText error={errors.save} className="pt-notice pt-notice-danger" />
      <button type="submit" className="pt-button pt-button-primary" disabled={saving}>
        Send blood pressure
      </button>
      <button type="button" className="pt-button pt-button-quiet" onClick={onCancel}>
        Back
      </button>
    </form>
  );
}
