/**
 * Why the server refused something the phone sent, in words a patient can act on. The outbox
 * keeps what the server said (`lastError`: over REST "Please check takenAt: 2026-...Z is more
 * than a minute ahead of the server clock (...)", over the socket the same without "Please
 * check"); a patient reading a field name and ISO times learns nothing from it.
 */

/** The phone's own times are refused only when its clock is off (the server names it). */
const CLOCK = /ahead of the server clock|device clock|in the future/i;
const FIELD = /^(?:Please check )?([A-Za-z][\w.[\]]*): (.*)$/s;
const ISO_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
/** What the server names when it refuses the session as it is, not a field of the form. */
const REFUSALS = new Set(['state', 'role', 'session']);

/** The fields the phone's forms send, as those forms ask for them. */
const FORM_WORDS: Readonly<Record<string, string>> = {
  moaas: 'the first question (saying the name)',
  dissociation: 'how detached or unreal you feel',
  nausea: 'how sick you feel',
  anxiety: 'how anxious you feel',
  symptoms: 'the symptoms ticked',
  note: 'what you wrote',
  text: 'your message',
  readings: 'the blood pressure',
  doseMg: 'the dose',
  route: 'how you took it',
  lot: 'the lot number',
};

export function refusalInWords(serverMessage: string | undefined): string {
  const message = (serverMessage ?? '').trim();
  if (!message) return 'Please call your care team.';
  if (CLOCK.test(message)) {
    return "This phone's clock is wrong: check its date and time in the phone's settings, then send it again.";
  }
  const field = FIELD.exec(message);
  if (!field) return message;
  const [, name, detail] = field;
  const words = FORM_WORDS[name.split(/[.[]/)[0]];
  if (words) return `Please check ${words}, then send it again.`;
  // A refusal of the session as it is now (409 `state`): its sentence is written for people.
  if (REFUSALS.has(name) && !ISO_TIME.test(detail)) {
    const sentence = detail.charAt(0).toUpperCase() + detail.slice(1);
    return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
  }
  return 'Please check the answers, then send them again.';
}
