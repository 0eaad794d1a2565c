import { ChoiceGroup, type Choice } from './ChoiceGroup';

const YES_NO: ReadonlyArray<Choice<boolean>> = [
  { value: true, label: 'Yes' },
  { value: false, label: 'No' },
];

export function YesNoQuestion(props: {
  legend: string;
  hint?: string;
  value: boolean | undefined;
  onChange: (value: boolean) => void;
  error?: string;
}) {
  return <ChoiceGroup {...props} options={YES_NO} layout="row" />;
}
