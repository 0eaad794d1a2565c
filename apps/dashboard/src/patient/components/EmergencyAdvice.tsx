import { EMERGENCY_SIGNS } from '../patient-copy';
import { EMERGENCY_NUMBERS } from '../../shared/emergency-numbers';

/** A `tel:` link: one tap on a phone starts the call, no digits to type while frightened. */
function EmergencyNumber({ number, where }: { number: string; where: string }) {
  return (
    <a className="pt-tel" href={`tel:${number}`} aria-label={`Call ${number} (${where})`}>
      <strong>{number}</strong> ({where})
    </a>
  );
}

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
      <p>Dial your emergency number (tap to call):</p>
      <ul className="pt-emergency-numbers" aria-label="Emergency numbers">
        {EMERGENCY_NUMBERS.map(([number, where]) => (
          <li key={number}>
            <EmergencyNumber number={number} where={where} />
          </li>
        ))}
      </ul>
      <p>Say the patient took ketamine, and how much.</p>
      <p>Stay with them. If they are very drowsy, lie them on their side.</p>
    </div>
  );
}
