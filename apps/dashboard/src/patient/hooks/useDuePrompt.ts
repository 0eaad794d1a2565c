import { useEffect, useRef } from 'react';
import { promptAttention } from '../prompt-alert';

/** Chimes and vibrates once when `dueAt` passes; again only for a new due time. */
export function useDuePrompt(dueAt: number | null, now: number): void {
  const prompted = useRef<number | null>(null);
  useEffect(() => {
    if (dueAt === null || now < dueAt || prompted.current === dueAt) return;
    prompted.current = dueAt;
    promptAttention();
  }, [dueAt, now]);
}
