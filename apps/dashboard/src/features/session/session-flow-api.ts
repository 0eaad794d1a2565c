import type { Gate, SessionFlowResult, TransitionAction } from '@vigil/contracts';
import { api } from '../../shared/api';

/** randomUUID needs a secure context; getRandomValues works on a plain-http LAN address too. */
function clientId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Session transitions and gate overrides; each request carries a fresh clientId (idempotency). */
export const sessionFlowApi = {
  transition: (sessionId: string, action: TransitionAction, reason?: string) =>
    api<SessionFlowResult>('POST', `/api/sessions/${sessionId}/transition`, {
      clientId: clientId(),
      action,
      ...(reason ? { reason } : {}),
    }),
  override: (sessionId: string, gate: Gate, reason: string) =>
    api<SessionFlowResult>('POST', `/api/sessions/${sessionId}/override`, {
      clientId: clientId(),
      gate,
      reason,
    }),
};
