import { EMERGENCY_SIGNS } from '../patient-copy';

/** CLINICAL.md: these signs mean emergency services now, not a message to the care team. */
export function EmergencyAdvice({ headline = true }: { headline?: boolean }) {
  return (
    <div className="pt-emergency" role="alert">
      {headline && <h3>Call emergency services now if the patient has:</h3>}
      <ul>
        {EMERGENCY_SIGNS.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p className="pt-emergency-numbers">
        Dial your emergency number: <strong>911</strong> (US), <strong>999</strong> (UK),{' '}
        <strong>112</strong> (Europe). Say the patient took ketamine, and how much.
      </p>
      <p>Stay with them. If they are very drowsy, lie them on their side.</p>
    </div>
  );
}
