import { useNow } from '../../shared/useNow';
import type { GateView } from '../session-phase';
import { clockTime } from '../../shared/clock-time';
import { serverToPhone } from '../phone-clock';

interface GateScreenProps {
  gate: GateView;
  /** The last re-measure was refused (e.g. sent before the rest was over): say why. */
  refused?: string | null;
  onRetake: () => void;
  onCautionAccepted: () => void;
}

/** "7:05": minutes and seconds left, for a countdown read at a glance. */
function left(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * "Measure again", only once the protocol's rest after a no-go is over (the server refuses an
 * earlier screening, and the outbox takes that refusal as final, so the new reading would be
 * lost): until then a countdown, and the button says when it opens.
 */
function Remeasure({
  gate,
  onRetake,
  label = 'Measure again',
}: {
  gate: GateView;
  onRetake: () => void;
  label?: string;
}) {
  const now = useNow(1000);
  const after = gate.remeasureAfter ? Date.parse(gate.remeasureAfter) : NaN;
  const waitMs = Number.isNaN(after) ? 0 : after - now;
  if (waitMs <= 0)
    return (
      <button type="button" className="pt-button pt-button-quiet" onClick={onRetake}>
        {label}
      </button>
    );
  return (
    <>
      <p className="pt-hint" role="timer" data-testid="remeasure-countdown">
        Sit quietly and rest. You can measure again at{' '}
        <strong>{clockTime(serverToPhone(after))}</strong>, in <strong>{left(waitMs)}</strong>.
      </p>
      <button type="button" className="pt-button pt-button-quiet" disabled>
        {label} in {left(waitMs)}
      </button>
    </>
  );
}

/**
 * The pre-dose gate in plain words: stop (no override can lift it), wait for the clinician
 * (a no-go, or any reading after one: only the clinician clears the dose), or a caution they
 * should talk through, with the reasons.
 */
export function GateScreen({ gate, refused, onRetake, onCautionAccepted }: GateScreenProps) {
  const reasons = (
    <ul className="pt-reasons">
      {gate.reasons.map((r) => (
        <li key={r.code}>{r.message}</li>
      ))}
    </ul>
  );
  const refusal = refused && (
    <p className="pt-notice pt-notice-danger" role="alert">
      Not accepted: {refused}
    </p>
  );
  if (gate.status === 'no_go' && gate.hardStop) {
    return (
      <section className="pt-stack" aria-labelledby="gate-title">
        <div className="pt-banner pt-banner-stop">
          <h2 id="gate-title">Do not take the dose today</h2>
          {reasons}
        </div>
        <p className="pt-lead">
          A support person who is an adult and stays with you for the whole session is needed for
          every dose. Your care team has been told and will contact you to plan another day.
        </p>
        {refusal}
        {/* Every no-go starts the rest, this one too. */}
        <Remeasure gate={gate} onRetake={onRetake} label="Change my answers" />
      </section>
    );
  }
  if (gate.status === 'no_go' || gate.clearanceRequired) {
    const earlier = gate.status !== 'no_go';
    return (
      <section className="pt-stack" aria-labelledby="gate-title">
        <div className="pt-banner pt-banner-wait">
          <h2 id="gate-title">Please wait for your clinician</h2>
          <p>Do not take the dose yet.</p>
          {earlier ? (
            <p data-testid="clearance-required">
              An earlier reading today was above the safe limit, so only your clinician can clear
              the dose now, even though this reading is lower.
            </p>
          ) : (
            reasons
          )}
        </div>
        {refusal}
        <p className="pt-lead">
          Your clinician must clear the dose and will call you. This screen changes by itself when
          they do.
        </p>
        <Remeasure gate={gate} onRetake={onRetake} />
      </section>
    );
  }
  return (
    <section className="pt-stack" aria-labelledby="gate-title">
      <div className="pt-banner pt-banner-wait">
        <h2 id="gate-title">Talk to your clinician before the dose</h2>
        {reasons}
      </div>
      <p className="pt-lead">
        Your clinician has been told. If they asked you to wait, please wait for their call.
      </p>
      <button type="button" className="pt-button pt-button-primary" onClick={onCautionAccepted}>
        My clinician said I can go ahead
      </button>
      <button type="button" className="pt-button pt-button-quiet" onClick={onRetake}>
        Measure again
      </button>
    </section>
  );
}
