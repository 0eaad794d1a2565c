import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { FhirExportButton } from './FhirExportButton';
import { ReportView } from './ReportView';
import { supervisorApi } from './supervisor-api';

/** The REMS-style report with print and CSV download (the server renders the CSV). */
export function ReportPage() {
  const { id = '' } = useParams();
  const report = useQuery({
    queryKey: ['supervisor', 'report', id],
    queryFn: () => supervisorApi.report(id),
  });
  const [csvError, setCsvError] = useState<string | null>(null);
  if (report.isError)
    return (
      <p role="alert" className="banner banner-error">
        Could not load the report: {report.error.message}
      </p>
    );
  if (!report.data) return <p>Loading the report…</p>;
  return (
    <section>
      <nav className="crumbs no-print" aria-label="Breadcrumb">
        <Link to="/supervisor">← Session history</Link> ·{' '}
        <Link to={`/supervisor/sessions/${id}`}>Replay</Link>
      </nav>
      <div className="sv-toolbar no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          Print
        </button>
        <button
          type="button"
          onClick={() => {
            setCsvError(null);
            supervisorApi.downloadReportCsv(id).catch((e: Error) => setCsvError(e.message));
          }}
        >
          Download CSV
        </button>
        <FhirExportButton sessionId={id} />
        {csvError && (
          <span role="alert" className="error">
            {csvError}
          </span>
        )}
      </div>
      <ReportView report={report.data} />
    </section>
  );
}
