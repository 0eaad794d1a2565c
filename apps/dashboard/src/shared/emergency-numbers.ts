/** The emergency numbers a patient may need, each a one-tap call: the phone's help and sign-in. */
export const EMERGENCY_NUMBERS = [
  ['911', 'US'],
  ['999', 'UK'],
  ['112', 'Europe'],
] as const;
