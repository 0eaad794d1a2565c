import { useCallback, useState } from 'react';
import type { OutboxItem } from '@vigil/outbox';
import { checkInSubmissionSchema, type CheckIn, type SymptomCode } from '@vigil/contracts';
import { isEmergencyCheckIn } from '@vigil/clinical';
import { clockTime } from '../../shared/clock-time';
import { withoutClientId } from '../form-values';
import { useOutbox } from '../hooks/useOutbox';
import { useOutboxSubmit } from '../hooks/useOutboxSubmit';
import { useStoredDraft } from '../hooks/useStoredDraft';
import { patientOutbox } from '../outbox/patient-outbox';
import { MOAAS_OPTIONS, MOAAS_QUESTION } from '../patient-copy';
import { refusalInWords } from '../refusal-words';
import { ChoiceGroup } from './ChoiceGroup';
import { EmergencyAdvice } from './EmergencyAdvice';
import { PhoneForm } from './PhoneForm';
import { ScaleQuestion } from './ScaleQuestion';
import { SymptomChecklist } from './SymptomChecklist';

interface Draft {
  moaas?: number;
  dissociation?: number;
  nausea?: number;
  anxiety?: number;
  symptoms: SymptomCode[];
  note: string;
}

const empty = (): Draft => ({ symptoms: [], note: '' });

/** This session's last check-in, when the server refused it: its answers, to send again. */
function lastRefused(items: readonly OutboxItem[], sessionId: string) {
  const item = items.findLast((i) => i.kind === 'checkin' && i.sessionId === sessionId);
  if (item?.status !== 'rejected') return null;
  const b = item.body;
  const scale = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const draft: Draft = {
    moaas: scale(b.moaas),
    dissociation: scale(b.dissociation),
    nausea: scale(b.nausea),
    anxiety: scale(b.anxiety),
    symptoms: Array.isArray(b.symptoms) ? (b.symptoms as SymptomCode[]) : [],
    note: typeof b.note === 'string' ? b.note : '',
  };
  return { item, draft };
}

/** The three 0-10 scales, each kept in the draft under its field. */
const SCALES: Array<{
  field: 'dissociation' | 'nausea' | 'anxiety';
  question: { legend: string; low: string; high: string };
}> = [
  {
    field: 'dissociation',
    question: {
      legend: 'How detached or unreal do you feel?',
      low: 'not at all',
      high: 'completely',
    },
  },
  {
    field: 'nausea',
    question: { legend: 'How sick do you feel (nausea)?', low: 'not at all', high: 'worst' },
  },
  {
    field: 'anxiety',
    question: { legend: 'How anxious do you feel?', low: 'calm', high: 'worst' },
  },
];

interface CheckInFormProps {
  sessionId: string;
  onSaved: (clientId: string, emergency: boolean) => void;
  onCancel: () => void;
}

/** The 15-minute check-in: every question may be skipped, but at least one must be answered. */
export function CheckInForm({ sessionId, onSaved, onCancel }: CheckInFormProps) {
  // The draft is cleared once queued, so after "Not accepted" (a 400: a phone clock far off, an
  // older server) the form opens on what was sent, rather than on nothing to answer again.
  const items = useOutbox();
  const [refused] = useState(() => lastRefused(items, sessionId));
  const [draft, update, clear] = useStoredDraft<Draft>(
    `vigil.patient.draft.checkin.${sessionId}`,
    useCallback(() => refused?.draft ?? empty(), [refused]),
  );
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => update((d) => ({ ...d, [k]: v }));
  const emergency = isEmergencyCheckIn(draft.moaas, draft.symptoms);

  const submit = useOutboxSubmit(async () => {
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
    setError(null);
    const checkIn = withoutClientId(parsed.data);
    const item = await patientOutbox.enqueue({ sessionId, kind: 'checkin', body: checkIn });
    // Sent again from its answers: the refused one has been read and acted on, so it no longer
    // says "did not reach your care team" beside the one that is on its way.
    if (refused) await patientOutbox.dismiss([refused.item.clientId]);
    clear();
    onSaved(item.clientId, emergency);
  });

  return (
    <PhoneForm
      title="Check-in"
      titleId="ci-title"
      submit={submit}
      error={error}
      submitLabel="Send check-in"
      onCancel={onCancel}
    >
      {refused && (
        <p className="pt-notice pt-notice-danger" role="alert" data-testid="checkin-refused">
          Your check-in of {clockTime(refused.item.createdAt)} was not accepted:{' '}
          {refusalInWords(refused.item.lastError)} Its answers are filled in below: check they are
          still right now.
        </p>
      )}
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
        {SCALES.map(({ field, question }) => (
          <ScaleQuestion
            key={field}
            {...question}
            value={draft[field] ?? undefined}
            onChange={(v) => set(field, v)}
          />
        ))}
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
    </PhoneForm>
  );
}
