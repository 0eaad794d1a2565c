import { useCallback, useState, type FormEvent } from 'react';
import type { GateView } from '../session-phase';
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
import { NumberField } from './NumberField';
import { QuestionnaireSection } from './QuestionnaireSection';
import { TextField } from './TextField';
import { YesNoQuestion } from './YesNoQuestion';
import { ErrorText } from '../../shared/components/ErrorText';

interface ScreeningFormProps {
  userId: string;
  sessionId: string;
  /** The last gate, when it came back incomplete: what is still missing. */
  gate: GateView | null;
  refused: string | null;
  onSaved: () => void;
}

/** The pre-dose screening, filled in by the patient or the support person before dosing. */
export function ScreeningForm({ userId, sessionId, gate, refused, onSaved }: ScreeningFormProps) {
  const initial = useCallback(() => emptyScreening(questionnairesDue(userId)), [userId]);
  const [draft, update] = useStoredDraft<ScreeningDraft>(
    `vigil.patient.draft.screening.${sessionId}`,
    initial,
  );
  const [errors, setErrors] = useState<ScreeningErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
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
  const answer = (list: 'phq9' | 'gad7', index: number, value: number) => {
    forget(`${list}.${index}`);
    update((d) => ({ ...d, [list]: d[list].map((a, i) => (i === index ? value : a)) }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
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
    setSaving(true);
    try {
      await patientOutbox.enqueue({ sessionId, kind: 'screening', body: built.body });
      if (draft.withQuestionnaires) markQuestionnairesAnswered(userId);
      // Keep the answers for "measure again", but never an old blood pressure or pulse.
      update((d) => ({ ...d, sbp: '', dbp: '', hr: '', spo2: '', withQuestionnaires: false }));
      onSaved();
    } catch (err) {
      setSaveError(`Could not save on this phone: ${(err as Error).message}`);
    } finally {
      setSaving(false);
    }
  };

  const missing = gate?.status === 'incomplete' ? gate.reasons : [];
  return (
    <form className="pt-screening pt-stack" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Before the dose</h2>
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
        <div className="pt-row">
          <NumberField
            label="Top number"
            unit="mmHg"
            value={draft.sbp}
            onChange={(v) => set('sbp', v)}
            error={errors.sbp}
          />
          <NumberField
            label="Bottom number"
            unit="mmHg"
            value={draft.dbp}
            onChange={(v) => set('dbp', v)}
            error={errors.dbp}
          />
        </div>
        <div className="pt-row">
          <NumberField
            label="Heart rate"
            unit="/min"
            value={draft.hr}
            onChange={(v) => set('hr', v)}
            error={errors.hr}
          />
          <NumberField
            label="Oxygen (SpO2)"
            unit="%"
            value={draft.spo2}
            onChange={(v) => set('spo2', v)}
            error={errors.spo2}
          />
        </div>
      </section>

      <section className="pt-card" aria-labelledby="scr-support">
        <h3 id="scr-support">Support person</h3>
        <p className="pt-hint">Someone who stays with you and can call for help.</p>
        <YesNoQuestion
          legend="Is your support person 18 or older?"
          value={draft.supportAdult}
          onChange={(v) => set('supportAdult', v)}
          error={errors.supportAdult}
        />
        <YesNoQuestion
          legend="Will they stay close enough to hear you for the whole session?"
          value={draft.supportPresent}
          onChange={(v) => set('supportPresent', v)}
          error={errors.supportPresent}
        />
        <TextField
          label="Their name"
          value={draft.supportName}
          onChange={(v) => set('supportName', v)}
          error={errors.supportName}
          autoComplete="off"
        />
        <TextField
          label="Their phone number"
          type="tel"
          value={draft.supportPhone}
          onChange={(v) => set('supportPhone', v)}
          error={errors.supportPhone}
          autoComplete="off"
        />
      </section>

      <section className="pt-card" aria-labelledby="scr-today">
        <h3 id="scr-today">Today</h3>
        <YesNoQuestion
          legend="Have you had no food for 4 hours and no drinks for 2 hours?"
          value={draft.fasting}
          onChange={(v) => set('fasting', v)}
          error={errors.fasting}
        />
        <YesNoQuestion
          legend="In the last 24 hours, have you had any alcohol, cannabis, sleeping pills, benzodiazepines, opioids or stimulants?"
          value={draft.recentSubstances}
          onChange={(v) => set('recentSubstances', v)}
          error={errors.recentSubstances}
        />
        <YesNoQuestion
          legend="Do you take any medicine that can raise blood pressure (for example ADHD stimulants or MAOI antidepressants)?"
          value={draft.bpMeds}
          onChange={(v) => set('bpMeds', v)}
        />
      </section>

      <section className="pt-card" aria-labelledby="scr-alert">
        <h3 id="scr-alert">How alert are you?</h3>
        <ChoiceGroup
          legend={MOAAS_QUESTION}
          options={MOAAS_OPTIONS}
          value={draft.moaasBaseline}
          onChange={(v) => set('moaasBaseline', v)}
          error={errors.moaasBaseline}
        />
      </section>

      {draft.withQuestionnaires ? (
        <>
          <QuestionnaireSection
            title="Mood this week (PHQ-9)"
            items={PHQ9_ITEMS}
            answers={draft.phq9}
            onAnswer={(i, v) => answer('phq9', i, v)}
            errors={errors}
            errorPrefix="phq9"
          />
          {(draft.phq9[8] ?? 0) > 0 && (
            <p className="pt-notice pt-notice-danger" role="alert">
              Thank you for telling us. Your clinician will talk with you before the dose. If you
              might act on these thoughts, press Get help or call emergency services now.
            </p>
          )}
          <QuestionnaireSection
            title="Worry this week (GAD-7)"
            items={GAD7_ITEMS}
            answers={draft.gad7}
            onAnswer={(i, v) => answer('gad7', i, v)}
            errors={errors}
            errorPrefix="gad7"
          />
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
      <ErrorText error={saveError} className="pt-notice pt-notice-danger" />
      <button type="submit" className="pt-button pt-button-primary" disabled={saving}>
        Send to my care team
      </button>
    </form>
  );
}
