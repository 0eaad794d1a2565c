import { useState } from 'react';
import type { OutboxItem } from '@vigil/outbox';
import { doseSubmissionSchema } from '@vigil/contracts';
import { withoutClientId } from '../form-values';
import { hhmm, takenAtFrom } from '../dose-time';
import { useNow } from '../../shared/useNow';
import { useOutbox } from '../hooks/useOutbox';
import { useOutboxSubmit } from '../hooks/useOutboxSubmit';
import { patientOutbox } from '../outbox/patient-outbox';
import { phoneToServer, serverToPhone } from '../phone-clock';
import type { GateView } from '../session-phase';
import { ChoiceGroup } from './ChoiceGroup';
import { NumberField } from './NumberField';
import { PhoneForm } from './PhoneForm';
import { TextField } from './TextField';

const ROUTES = [
  { value: 'oral' as const, label: 'Swallowed' },
  { value: 'sublingual' as const, label: 'Held under the tongue' },
];

interface DoseFormProps {
  sessionId: string;
  gate: GateView | null;
  overridden: boolean;
  refused: string | null;
}

/** The fields of this session's last dose the server refused, to fill the form again. */
function lastRefusedDose(
  items: readonly OutboxItem[],
  sessionId: string,
): { doseMg?: string; route?: 'oral' | 'sublingual'; time?: string; lot?: string } | null {
  const item = items.findLast(
    (i) => i.kind === 'dose' && i.sessionId === sessionId && i.status === 'rejected',
  );
  if (!item) return null;
  const { doseMg, route, takenAt, lot } = item.body as {
    doseMg?: unknown;
    route?: unknown;
    takenAt?: unknown;
    lot?: unknown;
  };
  // Sent on the server's clock; typed again by the phone's (which the form reads it by), it would
  // move by the phone's offset at every retry.
  const at = typeof takenAt === 'string' ? new Date(serverToPhone(Date.parse(takenAt))) : null;
  return {
    doseMg: typeof doseMg === 'number' ? String(doseMg) : undefined,
    route: route === 'oral' || route === 'sublingual' ? route : undefined,
    time: at && !Number.isNaN(at.getTime()) ? hhmm(at) : undefined,
    lot: typeof lot === 'string' ? lot : undefined,
  };
}

/** Confirms the dose once it has been taken; the session clock starts from its time. */
export function DoseForm({ sessionId, gate, overridden, refused }: DoseFormProps) {
  // After "Not accepted" the form opens on what was sent, its time included: the dose was taken
  // then, not when the patient retries (the peak BP check counts from it).
  const items = useOutbox();
  const [sent] = useState(() => lastRefusedDose(items, sessionId));
  const [doseMg, setDoseMg] = useState(sent?.doseMg ?? '');
  const [route, setRoute] = useState<'oral' | 'sublingual' | undefined>(sent?.route);
  // Null until the patient types a time (or moves onto the field): the field follows the clock
  // and the dose is dated when "I have taken the dose" is pressed, not when this screen opened
  // (it may wait open for a clinician's clearance; the session clock starts at the dose).
  const [time, setTime] = useState<string | null>(sent?.time ?? null);
  // The phone's own clock, not the server's: the patient reads the time off it, and takenAtFrom
  // dates what they type by it (sent on the server's clock).
  const shownNow = useNow(15_000, Date.now);
  const [lot, setLot] = useState(sent?.lot ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = useOutboxSubmit(async () => {
    // Read by the phone's clock, the one the patient reads, then sent on the server's: the server
    // refuses a dose time ahead of its clock (a phone minutes fast lost the dose for good) and
    // counts the 120 minutes and the peak BP check from it (a phone minutes slow shortened both).
    const now = new Date();
    const typed = time === null ? { at: now.toISOString() } : takenAtFrom(time, now);
    const takenAt =
      typed === 'ahead' || typed === null
        ? null
        : new Date(phoneToServer(Date.parse(typed.at))).toISOString();
    const next: Record<string, string> = {};
    if (!doseMg) next.doseMg = 'Enter the dose in mg, as on the label.';
    if (!route) next.route = 'Choose how you took it.';
    if (typed === 'ahead') next.time = 'That time is later than now.';
    else if (!takenAt) next.time = 'Enter the time you took it.';
    const body = {
      doseMg: Number(doseMg),
      route,
      takenAt,
      ...(lot.trim() ? { lot: lot.trim() } : {}),
    };
    const parsed = doseSubmissionSchema.safeParse({ clientId: 'draft', ...body });
    if (!parsed.success && !next.doseMg) {
      const issue = parsed.error.issues.find((i) => i.path[0] === 'doseMg');
      if (issue) next.doseMg = `Check the dose: it ${issue.message}.`;
    }
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    const dose = withoutClientId(parsed.data);
    // Two items, sent in order: the dose, then the start of monitoring it leads to.
    await patientOutbox.enqueue({ sessionId, kind: 'dose', body: dose });
    await patientOutbox.enqueue({
      sessionId,
      kind: 'transition',
      body: { action: 'start_monitoring' },
    });
  });

  return (
    <PhoneForm title="Ready for your dose" submit={submit} submitLabel="I have taken the dose">
      {overridden && (
        <p className="pt-notice pt-notice-ok" role="status">
          Your clinician has said the session can go ahead.
        </p>
      )}
      {gate?.status === 'caution' && (
        <p className="pt-notice pt-notice-warn">{gate.reasons.map((r) => r.message).join(' ')}</p>
      )}
      {refused && (
        <p className="pt-notice pt-notice-danger" role="alert">
          Not accepted: {refused}
        </p>
      )}
      <p className="pt-lead">Take your dose as prescribed, then tell us here.</p>
      <section className="pt-card">
        <NumberField
          label="Dose"
          unit="mg"
          value={doseMg}
          onChange={setDoseMg}
          error={errors.doseMg}
        />
        <ChoiceGroup
          legend="How did you take it?"
          options={ROUTES}
          value={route}
          onChange={setRoute}
          error={errors.route}
          layout="row"
        />
        <div className="pt-field">
          <label htmlFor="dose-time">Time taken</label>
          <input
            id="dose-time"
            type="time"
            value={time ?? hhmm(new Date(shownNow))}
            // Focused, it stops following the clock: a value changing under a screen reader or
            // an open time picker (WCAG 3.2.2) is worse than a minute's difference.
            onFocus={() => setTime((t) => t ?? hhmm(new Date()))}
            onChange={(e) => setTime(e.target.value)}
            aria-invalid={errors.time ? true : undefined}
          />
          {errors.time && <p className="pt-field-error">{errors.time}</p>}
        </div>
        <TextField
          label="Lot number (if on the label)"
          value={lot}
          onChange={setLot}
          autoComplete="off"
        />
      </section>
    </PhoneForm>
  );
}
