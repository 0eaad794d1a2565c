import type { GateView } from '../session-phase';

interface GateScreenProps {
  gate: GateView;
  onRetake: () => void;
  onCautionAccepted: () => void;
}

/**
 * The pre-dose gate in plain words: stop (no override can lift it), wait for the clinician
 * (a no-go they may override, or a caution they should talk through), with the reasons.
 */
export function GateScreen({ gate, onRetake, onCautionAccepted }: GateScreenProps) {
  const reasons = (
    <ul className="pt-reasons">
      {gate.reasons.map((r) => (
        <li key={r.code}>{r.message}</li>
      ))}
    </ul>
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
        <button type="button" className="pt-button pt-button-quiet" onClick={onRetake}>
          Change my answers
        </button>
      </section>
    );
  }
  if (gate.status === 'no_go') {
    return (
      <section className="pt-stack" aria-labelledby="gate-title">
        <div className="pt-banner pt-banner-wait">
          <h2 id="gate-title">Please wait for your clinician</h2>
          <p>Do not take the dose yet.</p>
          {reasons}
        </div>
        <p className="pt-lead">
          Your clinician has been told and will call you. They may let the session go ahead; this
          screen changes by itself when they do.
        </p>
        <p className="pt-hint">
          If your blood pressure was high, sit quietly for 15 minutes and measure again.
        </p>
        <button type="button" className="pt-button pt-button-quiet" onClick={onRetake}>
          Measure again
        </button>
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
