import { ChoiceGroup, type Choice } from './ChoiceGroup';

const ZERO_TO_TEN: ReadonlyArray<Choice<number>> = Array.from({ length: 11 }, (_, i) => ({
  value: i,
  label: String(i),
}));

/** A 0-10 self-rating with its two ends named in words. */
export function ScaleQuestion(props: {
  legend: string;
  low: string;
  high: string;
  value: number | undefined;
  onChange: (value: number) => void;
}) {
  return (
    <ChoiceGroup
      legend={props.legend}
      hint={`0 = ${props.low}, 10 = ${props.high}`}
      options={ZERO_TO_TEN}
      value={props.value}
      onChange={props.onChange}
      layout="grid"
    />
  );
}
