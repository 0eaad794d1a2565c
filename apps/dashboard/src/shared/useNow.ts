import { useEffect, useState } from 'react';
import { serverNow } from '../clock/server-clock';

/**
 * The time, re-read every `intervalMs`, so ages, countdowns, the phone's session clock and its
 * next check-in keep moving on screen. The server's clock (server-clock.ts), as everything a
 * clinician's screen judges (ages, staleness, silences, overdue check-ins) is a server time;
 * `clock` for what is judged by this device's own (a time the patient types by their phone's).
 */
export function useNow(intervalMs = 1000, clock: () => number = serverNow): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    setNow(clock());
    const t = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, clock]);
  return now;
}
