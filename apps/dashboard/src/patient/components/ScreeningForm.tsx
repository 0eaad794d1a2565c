import { useCallback, useState } from 'react';
import type { GateView } from '../session-phase';
import { useOutboxSubmit } from '../hooks/useOutboxSubmit';
import { useStoredDraft } from '../hooks/useStoredDraft';
import { patientOutbox } from '../outbox/patient-outbox';
import { GAD7_ITEMS, MOAAS_OPTIONS, MOAAS_QUESTION, PHQ9_ITEMS } from '../patient-copy';
import { markQuestionnairesAnswered, questionnairesDue } from '../questionnaire-due';
import {
  buildScreening,
  emptyScreening,
  type ScreeningDraft,
  type ScreeningErrors,
} from '../screening-draft';
import { ChoiceGroup } from './ChoiceGroup';
import { PhoneForm } from './PhoneForm';
import { QuestionnaireSection } from './QuestionnaireSection';
import { TextField } from './TextField';
import { VitalsFields, type TypedVital } from './VitalsFields';
import { YesNoQuestion } from './YesNoQuestion';

interface ScreeningFormProps {
  userId: string;
  sessionId: string;
  /** The last gate, when it came back incomplete: what is still missing. */
  gate: GateView | null;
  refused: string | null;
  onSaved: () => void;
}

const DRAFT_FIELD = {
  bp_systolic: 'sbp',
  bp_diastolic: 'dbp',
  heart_rate: 'hr',
  spo2: 'spo2',
} as const satisfies Record<TypedVital, keyof ScreeningDraft>;

/** The pre-dose screening, filled in by the patient or the support person before dosing. */
export function ScreeningForm({ userId, sessionId, gate, refused, onSaved }: ScreeningFormProps) {
  const initial = useCallback(() => emptyScreening(questionnairesDue(userId)), [userId]);
  const [draft, update] = useStoredDraft<ScreeningDraft>(
    `vigil.patient.draft.screening.${sessionId}`,
    initial,
  );
  const [errors, setErrors] = useState<ScreeningErrors>({});
  // An answer clears its own "missing" message at once; the others stay until fixed.
  const forget = (key: string) =>
    setErrors((e) => {
      if (!(key in e)) return e;
      const rest = { ...e };
      delete rest[key];
      return rest;
    });
  const set = <K extends keyof ScreeningDraft>(field: K, value: ScreeningDraft[K]) => {
    forget(field);
    update((d) => ({ ...d, [field]: value }));
  };
  /** A question's answer, where it changes and its "missing" message, for its field's props. */
  const field = <K extends keyof ScreeningDraft>(name: K) => ({
    value: draft[name],
    onChange: (value: ScreeningDraft[K]) => set(name, value),
    error: errors[name],
  });
  /** The same for a weekly questionnaire: its items, answers and per-item messages. */
  const questionnaire = (list: 'phq9' | 'gad7') => ({
    items: list === 'phq9' ? PHQ9_ITEMS : GAD7_ITEMS,
    answers: draft[list],
    onAnswer: (index: number, value: number) => {
      forget(`${list}.${index}`);
      update((d) => ({ ...d, [list]: d[list].map((a, i) => (i === index ? value : a)) }));
    },
    errors,
    errorPrefix: list,
  });

  const submit = useOutboxSubmit(async () => {
    const built = buildScreening(draft);
    if (!built.ok) {
      setErrors(built.errors);
      // Take the person to the first thing to fix rather than leave them scrolling.
      requestAnimationFrame(() => {
        const first = document.querySelector<HTMLElement>('.pt-screening [aria-invalid="true"]');
        const input = first?.matches('input') ? first : first?.querySelector('input');
        input?.focus();
        first?.scrollIntoView?.({ block: 'center' }); // absent in some test DOMs
      });
      return;
    }
    setErrors({});
    await patientOutbox.enqueue({ sessionId, kind: 'screening', body: built.body });
    if (draft.withQuestionnaires) markQuestionnairesAnswered(userId);
    // Keep the answers for "measure again", but never an old blood pressure or pulse.
    update((d) => ({ ...d, sbp: '', dbp: '', hr: '', spo2: '', withQuestionnaires: false }));
    onSaved();
  });

  const missing = gate?.status === 'incomplete' ? gate.reasons : [];
  return (
    <PhoneForm
      title="Before the dose"
      className="pt-screening pt-stack"
      submit={submit}
      submitLabel="Send to my care team"
    >
      <p className="pt-lead">A few checks to make sure today is a safe day for your session.</p>
      {missing.length > 0 && (
        <div className="pt-notice pt-notice-warn" role="status">
          <p>Your care team still needs:</p>
          <ul>
            {missing.map((r) => (
              <li key={r.code}>{r.message}</li>
            ))}
          </ul>
        </div>
      )}
      {refused && (
        <p className="pt-notice pt-notice-danger" role="alert">
          Not accepted: {refused}
        </p>
      )}

      <section className="pt-card" aria-labelledby="scr-vitals">
        <h3 id="scr-vitals">Blood pressure, pulse and oxygen</h3>
        <p className="pt-hint">
          Sit quietly for 5 minutes, then use the cuff and the finger clip (pulse oximeter).
        </p>
        <VitalsFields field={(kind) => field(DRAFT_FIELD[kind])} />
      </section>

      <section className="pt-card" aria-labelledby="scr-support">
        <h3 id="scr-support">Support person</h3>
        <p className="pt-hint">Someone who stays with you and can call for help.</p>
        <YesNoQuestion legend="Is your support person 18 or older?" {...field('supportAdult')} />
        <YesNoQuestion
          legend="Will they stay close enough to hear you for the whole session?"
          {...field('supportPresent')}
        />
        <TextField label="Their name" {...field('supportName')} autoComplete="off" />
        <TextField
          label="Their phone number"
          type="tel"
          {...field('supportPhone')}
          autoComplete="off"
        />
      </section>

      <section className="pt-card" aria-labelledby="scr-today">
        <h3 id="scr-today">Today</h3>
        <YesNoQuestion
          legend="Have you had no food for 4 hours and no drinks for 2 hours?"
          {...field('fasting')}
        />
        <YesNoQuestion
          legend="In the last 24 hours, have you had any alcohol, cannabis, sleeping pills, benzodiazepines, opioids or stimulants?"
          {...field('recentSubstances')}
        />
        <YesNoQuestion
          legend="Do you take any medicine that can raise blood pressure (for example ADHD stimulants or MAOI antidepressants)?"
          value={draft.bpMeds}
          onChange={(v) => set('bpMeds', v)}
        />
      </section>

      <section className="pt-card" aria-labelledby="scr-alert">
        <h3 id="scr-alert">How alert are you?</h3>
        <ChoiceGroup legend={MOAAS_QUESTION} options={MOAAS_OPTIONS} {...field('moaasBaseline')} />
      </section>

      {draft.withQuestionnaires ? (
        <>
          <QuestionnaireSection title="Mood this week (PHQ-9)" {...questionnaire('phq9')} />
          {(draft.phq9[8] ?? 0) > 0 && (
            <p className="pt-notice pt-notice-danger" role="alert">
              Thank you for telling us. Your clinician will talk with you before the dose. If you
              might act on these thoughts, press Get help or call emergency services now.
            </p>
          )}
          <QuestionnaireSection title="Worry this week (GAD-7)" {...questionnaire('gad7')} />
        </>
      ) : (
        <button
          type="button"
          className="pt-button pt-button-quiet"
          onClick={() => set('withQuestionnaires', true)}
        >
          Answer the weekly mood questions
        </button>
      )}

      {Object.keys(errors).length > 0 && (
        <p className="pt-notice pt-notice-warn" role="alert">
          Some answers are missing. They are marked above.
        </p>
      )}
    </PhoneForm>
  );
}
