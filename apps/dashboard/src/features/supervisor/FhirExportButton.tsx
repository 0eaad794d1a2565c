import { useState } from 'react';
import { supervisorApi } from './supervisor-api';

/** Downloads the session's record as a FHIR R4 Bundle (the server audits every export). */
export function FhirExportButton({ sessionId }: { sessionId: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({
    busy: false,
    error: null,
  });
  const run = () => {
    setState({ busy: true, error: null });
    supervisorApi
      .downloadFhir(sessionId)
      .then(() => setState({ busy: false, error: null }))
      .catch((e: Error) => setState({ busy: false, error: e.message }));
  };
  return (
    <>
      <button type="button" onClick={run} disabled={state.busy}>
        {state.busy ? 'Exporting…' : 'Export FHIR'}
      </button>
      {state.error && (
        <span role="alert" className="error">
          {state.error}
        </span>
      )}
    </>
  );
}
