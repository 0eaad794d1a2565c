import { useState } from 'react';
import { vitalsSubmissionSchema, type Reading, type ReadingKind } from '@vigil/contracts';
import { useOutboxSubmit } from '../hooks/useOutboxSubmit';
import { patientOutbox } from '../outbox/patient-outbox';
import { PhoneForm } from './PhoneForm';
import { VitalsFields, VITAL_FIELDS } from './VitalsFields';

interface BpFormProps {
  sessionId: string;
  onSaved: (clientId: string) => void;
  onCancel: () => void;
}

/** Pulse and oxygen only if the cuff or oximeter shows them. */
const OPTIONAL: readonly ReadingKind[] = ['heart_rate', 'spo2'];

/** Blood pressure (and pulse and oxygen if the cuff or oximeter shows them), typed in. */
export function BpForm({ sessionId, onSaved, onCancel }: BpFormProps) {
  const [values, setValues] = useState<Partial<Record<ReadingKind, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<ReadingKind, string>>>({});

  const field = (kind: ReadingKind) => ({
    value: values[kind] ?? '',
    onChange: (v: string) => setValues((s) => ({ ...s, [kind]: v })),
    error: errors[kind],
  });

  const submit = useOutboxSubmit(async () => {
    const measuredAt = new Date().toISOString();
    const next: typeof errors = {};
    const readings: Reading[] = [];
    for (const f of VITAL_FIELDS) {
      const text = values[f.kind] ?? '';
      if (text === '') {
        if (!OPTIONAL.includes(f.kind)) next[f.kind] = `Enter the ${f.label.toLowerCase()}.`;
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
    const item = await patientOutbox.enqueue({ sessionId, kind: 'vitals', body: { readings } });
    onSaved(item.clientId);
  });

  return (
    <PhoneForm
      title="Blood pressure"
      titleId="bp-title"
      submit={submit}
      submitLabel="Send blood pressure"
      onCancel={onCancel}
    >
      <p className="pt-lead">Sit quietly for a few minutes, then use the cuff.</p>
      <section className="pt-card">
        <VitalsFields field={field} optional={OPTIONAL} />
      </section>
    </PhoneForm>
  );
}
