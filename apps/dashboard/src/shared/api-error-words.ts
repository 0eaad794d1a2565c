/** A leading `field: ` names what the server refused (docs/API.md); a person needs the rest. */
const FIELD_PREFIX = /^[A-Za-z][\w.[\]]*: /;

/**
 * What a failed request means, in words a clinician can act on (issue 12: never a raw server
 * message, a status code or a parser error). A 400 keeps the field it names (a form needs it);
 * a refusal (403, 409) keeps the server's own sentence without the field; the rest say what to do.
 */
export function apiErrorInWords(status: number, serverMessage?: string | null): string {
  const detail = (serverMessage ?? '').replace(FIELD_PREFIX, '').trim();
  const capital = detail.charAt(0).toUpperCase() + detail.slice(1);
  const sentence = capital && !/[.!?]$/.test(capital) ? `${capital}.` : capital;
  if (status === 0) return 'Could not reach the server. Check the connection and try again.';
  if (status === 400)
    return serverMessage ? `Please check ${serverMessage}` : 'Please check the form.';
  if (status === 401) return 'Your sign-in has ended. Sign in again.';
  if (status === 403)
    return `You may not do this${detail ? `: ${detail.replace(/[.!?]?$/, '.')}` : '.'}`;
  if (status === 404)
    return sentence || 'Not found: it may have been removed, or you may not see it.';
  if (status === 409) return sentence || 'This cannot be done in the session as it is now.';
  if (status === 429) return 'Too many requests just now. Wait a few seconds and try again.';
  if (status >= 500)
    return `The server could not do this just now (error ${status}). Try again; if it keeps failing, tell support.`;
  return sentence || `The request failed (error ${status}).`;
}
