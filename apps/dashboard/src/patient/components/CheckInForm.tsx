import { useCallback, useState, type FormEvent } from 'react';
import { checkInSubmissionSchema, type CheckIn, type SymptomCode } from '@vigil/contracts';
import { isEmergencyCheckIn } from '@vigil/clinical';
import { withoutClientId } from '../form-values';
import { useStoredDraft } from '../hooks/useStoredDraft';
import { patientOutbox } from '../outbox/patient-outbox';
import { MOAAS_OPTIONS, MOAAS_QUESTION } from '../patient-copy';
import { ChoiceGroup } from './ChoiceGroup';
import { EmergencyAdvice } from './EmergencyAdvice';
import { ScaleQuestion } from './ScaleQuestion';
import { SymptomChecklist } from './SymptomChecklist';
import { ErrorText } from '../../shared/components/ErrorText';

interface Draft {
  moaas?: number;
  dissociation?: number;
  nausea?: number;
  anxiety?: number;
  symptoms: SymptomCode[];
  note: string;
}

const empty = (): Draft => ({ symptoms: [], note: '' });

interface CheckInFormProps {
  sessionId: string;
  onSaved: (clientId: string, emergency: boolean) => void;
  onCancel: () => void;
}

/** The 15-minute check-in: every question may be skipped, but at least one must be answered. */
export function CheckInForm({ sessionId, onSaved, onCancel }: CheckInFormProps) {
  const [draft, update, clear] = useStoredDraft<Draft>(
    `vigil.patient.draft.checkin.${sessionId}`,
    useCallback(empty, []),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => update((d) => ({ ...d, [k]: v }));
  const emergency = isEmergencyCheckIn(draft.moaas, draft.symptoms);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: CheckIn = {
      moaas: draft.moaas ?? undefined,
      dissociation: draft.dissociation ?? undefined,
      nausea: draft.nausea ?? undefined,
      anxiety: draft.anxiety ?? undefined,
      ...(draft.symptoms.length > 0 ? { symptoms: draft.symptoms } : {}),
      ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
      // The time it was answered, not the time it reached the server hours later.
      takenAt: new Date().toISOString(),
    };
    const answered = Object.entries(body).some(([k, v]) => k !== 'takenAt' && v !== undefined);
    const parsed = checkInSubmissionSchema.safeParse({ clientId: 'draft', ...body });
    if (!answered || !parsed.success) {
      setError(answered ? 'Please check the answers.' : 'Answer at least one question.');
      return;
    }
    setSaving(true);
    try {
      const checkIn = withoutClientId(parsed.data);
      const item = await patientOutbox.enqueue({ sessionId, kind: 'checkin', body: checkIn });
      clear();
      onSaved(item.clientId, emergency);
    } catch (err) {
      setError(`Could not save on this phone: ${(err as Error).message}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="pt-stack"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="ci-title"
    >
      <h2 id="ci-title">Check-in</h2>
      <p className="pt-lead">The support person can answer for the patient. Skip any question.</p>
      <section className="pt-card">
        <ChoiceGroup
          legend={MOAAS_QUESTION}
          options={MOAAS_OPTIONS}
          value={draft.moaas ?? undefined}
          onChange={(v) => set('moaas', v)}
        />
      </section>
      <section className="pt-card">
        <ScaleQuestion
          legend="How detached or unreal do you feel?"
          low="not at all"
          high="completely"
          value={draft.dissociation ?? undefined}
          onChange={(v) => set('dissociation', v)}
        />
        <ScaleQuestion
          legend="How sick do you feel (nausea)?"
          low="not at all"
          high="worst"
          value={draft.nausea ?? undefined}
          onChange={(v) => set('nausea', v)}
        />
        <ScaleQuestion
          legend="How anxious do you feel?"
          low="calm"
          high="worst"
          value={draft.anxiety ?? undefined}
          onChange={(v) => set('anxiety', v)}
        />
      </section>
      <section className="pt-card">
        <SymptomChecklist value={draft.symptoms} onChange={(v) => set('symptoms', v)} />
      </section>
      {emergency && <EmergencyAdvice />}
      {draft.moaas === undefined && (
        <p className="pt-notice pt-notice-warn" data-testid="moaas-needed">
          The first question (saying the name) is what makes this count as the 15-minute check-in.
          Without it, it is sent as a note and the check-in is still due.
        </p>
      )}
      <section className="pt-card">
        <div className="pt-field">
          <label htmlFor="ci-note">Anything else? (optional)</label>
          <textarea
            id="ci-note"
            rows={3}
            maxLength={2000}
            value={draft.note}
            onChange={(e) => set('note', e.target.value)}
          />
        </div>
      </section>
      <ErrorText error={error} className="pt-notice pt-notice-danger" />
      <button type="submit" className="pt-button pt-button-primary" disabled={saving}>
        Send check-in
      </button>
      <button type="button" className="pt-button pt-button-quiet" onClick={onCancel}>
        Back
      </button>
    </form>
  );
}
