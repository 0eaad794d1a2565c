import { useEffect, useRef } from 'react';
import { promptAttention } from '../prompt-alert';

/**
 * Chimes and vibrates once when `dueAt` passes; again only for a new due time, or when the time
 * went back before it since (a clock read ahead for a moment, until an answer brought the
 * server's time again, chimed early; the real due time must chime too).
 */
export function useDuePrompt(dueAt: number | null, now: number): void {
  const prompted = useRef<number | null>(null);
  useEffect(() => {
    if (dueAt === null) return;
    if (now < dueAt) {
      prompted.current = null;
      return;
    }
    if (prompted.current === dueAt) return;
    prompted.current = dueAt;
    promptAttention();
  }, [dueAt, now]);
}
