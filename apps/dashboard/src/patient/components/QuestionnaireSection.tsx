import { FREQUENCY_OPTIONS, QUESTIONNAIRE_STEM } from '../patient-copy';
import { ChoiceGroup } from './ChoiceGroup';

const OPTIONS = FREQUENCY_OPTIONS.map((label, value) => ({ value, label }));

interface QuestionnaireSectionProps {
  title: string;
  items: readonly string[];
  answers: Array<number | undefined | null>;
  onAnswer: (index: number, value: number) => void;
  errors: Partial<Record<string, string>>;
  errorPrefix: string;
}

/** PHQ-9 or GAD-7: one question per group, scored 0-3 in the order of FREQUENCY_OPTIONS. */
export function QuestionnaireSection({
  title,
  items,
  answers,
  onAnswer,
  errors,
  errorPrefix,
}: QuestionnaireSectionProps) {
  return (
    <section className="pt-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="pt-hint">{QUESTIONNAIRE_STEM}</p>
      {items.map((text, i) => (
        <ChoiceGroup
          key={text}
          legend={`${i + 1}. ${text}`}
          options={OPTIONS}
          value={answers[i] ?? undefined}
          onChange={(v) => onAnswer(i, v)}
          error={errors[`${errorPrefix}.${i}`]}
        />
      ))}
    </section>
  );
}
