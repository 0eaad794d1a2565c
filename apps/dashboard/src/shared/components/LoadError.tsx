import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorText } from './ErrorText';

/**
 * A query that could not load, as a banner naming what it was loading ("Could not load the
 * devices: …"); nothing while it loads or once it has.
 */
export function LoadError({ query, what }: { query: UseQueryResult<unknown>; what: string }) {
  return (
    <ErrorText
      error={query.isError ? `Could not load ${what}: ${query.error.message}` : null}
      className="banner banner-error"
    />
  );
}
