import { formatCountdown, isSoundPaused, SOUND_PAUSE_MS, type SoundPause } from './sound-pause';

/**
 * The station's one place for the sound: "Pause sound 2 min", then a countdown and a way to
 * resume early. The alert list is never hidden or changed by it.
 */
export function SoundPauseControl({
  pause,
  now,
  onPause,
  onResume,
}: {
  pause: SoundPause | null;
  now: number;
  onPause: () => void;
  onResume: () => void;
}) {
  if (!isSoundPaused(pause, now))
    return (
      <button type="button" className="secondary sound-pause" onClick={onPause}>
        Pause sound {SOUND_PAUSE_MS / 60_000} min
      </button>
    );
  const left = formatCountdown(pause.until - now);
  return (
    <div className="sound-paused" data-testid="sound-paused">
      <span role="timer" aria-live="off" aria-label={`Sound paused, ${left} left`}>
        <strong>Sound paused</strong> {left}
      </span>{' '}
      <span className="muted">alerts still shown; a higher-priority alert sounds</span>{' '}
      <button type="button" className="secondary" onClick={onResume}>
        Resume sound
      </button>
    </div>
  );
}
