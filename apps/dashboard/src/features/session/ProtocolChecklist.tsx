import { useState } from 'react';
import { durationMs, MS_PER_MINUTE, type Protocol } from '@vigil/clinical';
import type { SessionModel } from '../../read-model/session-model';
import { formatAge, formatClock } from '../../read-model/staleness';
import { vitalMadeAt } from '../../read-model/vital-log';
import { lastBpPairs, previewEndChecklist } from './end-checklist-preview';
import { endOptions } from './end-options';
import { ReasonAction } from './ReasonAction';
import { sessionFlowApi } from './session-flow-api';
import { ErrorText } from '../../shared/components/ErrorText';

/** The clinician's step on from a state that does not end by itself. */
const FORWARD = {
  dosed: { action: 'start_monitoring', label: 'Start monitoring' },
  monitoring: { action: 'begin_recovery', label: 'Begin recovery' },
} as const;

interface Props {
  sessionId: string;
  model: SessionModel;
  state: string;
  dosedAt: string | null;
  protocol: Protocol;
  protocolLabel: string;
  now: number;
}

const Mark = ({ ok }: { ok: boolean }) => (
  <span className={ok ? 'mark-ok' : 'mark-no'}>
    <span aria-hidden="true">{ok ? '✔ ' : '✖ '}</span>
    {ok ? 'met' : 'not met'}
  </span>
);

function peakBp(
  model: SessionModel,
  dosedAt: string | null,
  protocol: Protocol,
  now: number,
  live: boolean,
) {
  if (!dosedAt) return live ? 'after the dose' : 'no dose taken';
  // Held from the board: the latest readings only, not yet the history the check looks through.
  if (model.readings !== 'all') return 'loading…';
  const due = Date.parse(dosedAt) + durationMs(protocol.timings.peakBpCheck);
  // A cuff reading in the five minutes before the due time counts as the peak check. By the
  // server's clock, as the dose time is: a phone's measuredAt is its own clock's, and on one 10 min
  // slow a BP taken at the peak read "overdue".
  const taken = model.vitals.find(
    (v) => v.kind === 'bp_systolic' && vitalMadeAt(v) >= due - 5 * MS_PER_MINUTE,
  );
  if (taken) return `taken ${formatClock(vitalMadeAt(taken))} (SBP ${taken.value})`;
  // An ended session expects nothing more: say what happened, not what is "due".
  if (!live) return 'not taken';
  if (now < due) return `due ${formatClock(due)} (in ${formatAge(due - now)})`;
  return `⚠ overdue since ${formatClock(due)}`;
}

/** Pre-dose gate, overrides, dose, the peak BP check and the end checklist with sign-off. */
export function ProtocolChecklist(props: Props) {
  const { sessionId, model, state, dosedAt, protocol, now } = props;
  const [error, setError] = useState<string | null>(null);
  const gate = model.screening?.gate;
  const end = model.endChecklist;
  const preview = end ? null : previewEndChecklist(model, dosedAt, now, protocol);
  const items = end?.items ?? preview?.items ?? [];
  const live = !['ended', 'aborted'].includes(state);
  const ends = endOptions(state, dosedAt, Object.values(model.alerts), now, protocol, {
    pulse: model.latest.heart_rate?.value,
    sbp: lastBpPairs(model.vitals)[0]?.sbp,
  });
  // v2: a no-go (now or earlier in the session) is cleared only by the clinician.
  const clearance =
    (state === 'screening' || state === 'ready') &&
    model.overrides.every((o) => o.gate !== 'pre_dose') &&
    (gate?.status === 'no_go' ||
      gate?.clinicianClearanceRequired === true ||
      model.hadNoGo ||
      Object.values(model.alerts).some(
        (a) => a.condition === 'predose_no_go' && a.status !== 'resolved',
      ));
  const forward = state in FORWARD ? FORWARD[state as keyof typeof FORWARD] : null;
  const act = (p: Promise<unknown>) =>
    p.then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );

  return (
    <section className="panel" aria-labelledby="protocol-title">
      <h2 id="protocol-title">Protocol</h2>
      <p className="muted small">{props.protocolLabel}</p>
      <dl className="checklist">
        <dt>Pre-dose gate</dt>
        <dd data-testid="gate">
          {gate ? (
            <>
              <strong>{gate.status.replace('_', '-')}</strong>
              {model.screening?.sbp !== undefined &&
                ` · BP ${model.screening.sbp}/${model.screening.dbp ?? '–'}, HR ${model.screening.hr ?? '–'}`}
              {gate.reasons.length > 0 && (
                <ul>
                  {gate.reasons.map((r) => (
                    <li key={r.code}>{r.message}</li>
                  ))}
                </ul>
              )}
              {clearance && (
                <p className="end-note" data-testid="clearance-needed">
                  {gate.status === 'no_go' ? 'Dose blocked' : 'An earlier reading was a no-go'}:
                  only you can clear the dose (the patient is told you will call).
                  {gate.remeasureAfter &&
                    ` The patient may measure again from ${formatClock(gate.remeasureAfter)}.`}
                </p>
              )}
            </>
          ) : (
            <span className="muted">no screening recorded in this session</span>
          )}
        </dd>
        {model.overrides.map((o) => (
          <div key={o.at}>
            <dt>Override ({o.gate.replace('_', '-')})</dt>
            <dd>
              {formatClock(o.at)}: “{o.reason}”
            </dd>
          </div>
        ))}
        <dt>Dose</dt>
        <dd>
          {model.dose
            ? `${model.dose.mg} mg ${model.dose.route}, ${formatClock(model.dose.takenAt)}`
            : dosedAt
              ? `taken ${formatClock(dosedAt)}`
              : 'not yet'}
        </dd>
        <dt>Peak BP check</dt>
        <dd data-testid="peak-bp">{peakBp(model, dosedAt, protocol, now, live)}</dd>
        {!live && !end ? (
          <>
            <dt>End</dt>
            <dd data-testid="session-end">
              {state === 'aborted' ? 'Aborted' : 'Ended'}
              {model.endedAt && ` at ${formatClock(model.endedAt)}`}
              {model.endReason && `: “${model.endReason}”`} (no sign-off)
            </dd>
          </>
        ) : (
          <>
            <dt>End checklist {end ? `(signed off ${formatClock(end.at)})` : '(preview)'}</dt>
            <dd>
              <ul className="end-items">
                {items.map((i) => (
                  <li key={i.code}>
                    <Mark ok={i.ok} /> {i.message}
                  </li>
                ))}
              </ul>
              {end?.readyToLeaveMinutes != null && (
                <p>Ready to leave: {end.readyToLeaveMinutes} min</p>
              )}
            </dd>
          </>
        )}
      </dl>
      {live && (
        <>
          {ends.notYet && (
            <p className="end-note" data-testid="end-note">
              {ends.notYet}
            </p>
          )}
          {ends.signOffOffered && ends.blockers.length > 0 && (
            <div className="end-blockers" role="status" data-testid="signoff-blocked">
              <strong>Sign-off is blocked by an open breathing concern</strong> (no override lifts
              it):
              <ul>
                {ends.blockers.map((a) => (
                  <li key={a.id}>{a.message}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="actions wrap">
            {clearance && (
              <ReasonAction
                label="Clear the dose (override no-go)"
                prompt="Why dosing may proceed despite the no-go (audited)"
                run={(r) => sessionFlowApi.override(sessionId, 'pre_dose', r)}
              />
            )}
            {forward && (
              <button
                type="button"
                className="secondary"
                onClick={() => void act(sessionFlowApi.transition(sessionId, forward.action))}
              >
                {forward.label}
              </button>
            )}
            {ends.signOffOffered && (
              <>
                <button
                  type="button"
                  className="primary"
                  disabled={ends.blockers.length > 0}
                  onClick={() => void act(sessionFlowApi.transition(sessionId, 'sign_off'))}
                >
                  Sign off
                </button>
                {preview && !preview.ready && ends.blockers.length === 0 && (
                  <ReasonAction
                    label="Override end checklist"
                    prompt="Why the session may end before every item is met (audited)"
                    run={(r) => sessionFlowApi.override(sessionId, 'end', r)}
                  />
                )}
              </>
            )}
            <ReasonAction
              label={ends.early ? 'End early (abort)' : 'Abort session'}
              prompt={
                ends.early
                  ? 'Reason for ending before the minimum monitoring time: recorded as an abort (audited)'
                  : 'Reason for ending the session early (audited)'
              }
              danger
              run={(r) => sessionFlowApi.transition(sessionId, 'abort', r)}
            />
          </div>
        </>
      )}
      <ErrorText error={error} />
    </section>
  );
}
