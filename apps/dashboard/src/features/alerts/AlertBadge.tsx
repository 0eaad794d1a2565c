import type { AlertPriority } from '@vigil/contracts';
import { PRIORITY_ICON, PRIORITY_LABEL } from './alert-logic';

/** Priority as colour, shape and word together, so it reads without colour vision. */
export function AlertBadge({ priority }: { priority: AlertPriority }) {
  return (
    <span className={`alert-badge alert-${priority}`}>
      <span aria-hidden="true" className="alert-icon">
        {PRIORITY_ICON[priority]}
      </span>
      {PRIORITY_LABEL[priority]}
    </span>
  );
}
