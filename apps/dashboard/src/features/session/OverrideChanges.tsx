import type { ProtocolChangeRecord } from '../../read-model/session-model';
import { formatClock } from '../../read-model/staleness';

/** A session's `protocol.overridden` events, oldest first: when, what, from what, and why. */
export function OverrideChanges({ changes }: { changes: readonly ProtocolChangeRecord[] }) {
  return (
    <ul className="override-changes" aria-label="Changes during this session">
      {changes.map((c) => (
        <li key={c.seq}>
          {formatClock(c.at)}: {c.setting}{' '}
          {c.value === null ? 'back to the default' : `set to ${c.value}`}
          {c.previous !== null && ` (was ${c.previous})`} · “{c.reason}”
        </li>
      ))}
    </ul>
  );
}
