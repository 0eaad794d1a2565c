import type { AlarmLevel } from './alert-logic';

/**
 * A station-wide "audio paused" (IEC 60601-1-8 ALARM SIGNAL inactivation state): the speaker is
 * quiet for a fixed time while every alert stays on screen, announced and counted. It is local to
 * this screen's speaker: it silences no alert, defers no escalation and is not sent to the
 * server (a per-alert silence is, and is audited); it is a volume control with a time limit.
 */
export interface SoundPause {
  /** Epoch ms when the sound comes back by itself. */
  until: number;
  /** What was sounding when the pause began: only a higher priority ends it early. */
  ceiling: AlarmLevel;
}

/** CLINICAL.md: a silence is never longer than 2 minutes; this is the one length offered. */
export const SOUND_PAUSE_MS = 2 * 60_000;

export function startSoundPause(now: number, sounding: AlarmLevel): SoundPause {
  return { until: now + SOUND_PAUSE_MS, ceiling: sounding };
}

export function isSoundPaused(pause: SoundPause | null, now: number): pause is SoundPause {
  return pause !== null && now < pause.until;
}

const RANK: Record<'high' | 'medium', number> = { medium: 1, high: 2 };

/**
 * Whether a new (or reopened) alert ends the pause: IEC 60601-1-8 lets a new alarm condition of
 * higher priority than the paused ones end the audio-paused state, so a high alert arriving while
 * only a medium was paused sounds at once. A new alert of the same or a lower priority is shown,
 * announced and notified but waits for the pause to end (at most 2 min): a pause that any new
 * medium broke would be useless on a busy station and get the speaker turned down instead.
 */
export function endsSoundPause(priority: string, pause: SoundPause): boolean {
  if (priority !== 'high' && priority !== 'medium') return false;
  return pause.ceiling === null || RANK[priority] > RANK[pause.ceiling];
}

/** "1:05": whole seconds, rounded up so the countdown never shows 0:00 while still paused. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
