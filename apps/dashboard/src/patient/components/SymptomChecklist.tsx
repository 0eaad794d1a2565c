import { SYMPTOM_CODES, type SymptomCode } from '@vigil/contracts';
import { EMERGENCY_SYMPTOMS } from '@vigil/clinical';
import { SYMPTOM_LABELS } from '../patient-copy';

interface SymptomChecklistProps {
  value: SymptomCode[];
  onChange: (value: SymptomCode[]) => void;
}

/** Big checkboxes; the emergency ones are listed first so they are never scrolled past. */
export function SymptomChecklist({ value, onChange }: SymptomChecklistProps) {
  const ordered = [
    ...SYMPTOM_CODES.filter((c) => EMERGENCY_SYMPTOMS.includes(c)),
    ...SYMPTOM_CODES.filter((c) => !EMERGENCY_SYMPTOMS.includes(c)),
  ];
  const toggle = (code: SymptomCode) =>
    onChange(value.includes(code) ? value.filter((c) => c !== code) : [...value, code]);
  return (
    <fieldset className="pt-choices pt-choices-stack">
      <legend>Any of these right now?</legend>
      <p className="pt-hint">Tick all that apply. Leave empty if none.</p>
      <div className="pt-choices-options">
        {ordered.map((code) => (
          <label
            key={code}
            className={`pt-choice${value.includes(code) ? ' pt-choice-selected' : ''}`}
          >
            <input type="checkbox" checked={value.includes(code)} onChange={() => toggle(code)} />
            <span>{SYMPTOM_LABELS[code]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
