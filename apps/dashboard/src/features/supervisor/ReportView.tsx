import type { BpAt, RemsReport } from '@vigil/contracts';
import { formatDateTime } from './supervisor-api';

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

function Bp({ bp, label }: { bp: BpAt | null; label: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        {bp ? (
          <>
            <strong>
              {bp.sbp ?? '?'}/{bp.dbp ?? '?'} mmHg
            </strong>{' '}
            <span className="muted">
              {formatDateTime(bp.at)}
              {bp.minutesAfterDose !== null && bp.source === 'vitals'
                ? `, ${bp.minutesAfterDose} min after the dose`
                : ''}
              {bp.source === 'screening' ? ', pre-dose screening' : ''}
            </span>
          </>
        ) : (
          <span className="sv-missing">not recorded</span>
        )}
      </td>
    </tr>
  );
}

/** The REMS patient monitoring form's content for one session, laid out to print on one page. */
export function ReportView({ report }: { report: RemsReport }) {
  const r = report;
  const s = r.session;
  const peak = r.bloodPressure.atPeakCheck;
  return (
    <article className="sv-report" aria-labelledby="report-title">
      <h1 id="report-title">Session monitoring report</h1>
      <p className="muted">
        Mirrors the SPRAVATO REMS Patient Monitoring Form. Generated {formatDateTime(r.generatedAt)}
        .
      </p>
      <table className="sv-kv">
        <tbody>
          <tr>
            <th scope="row">Patient</th>
            <td>{s.patient.name}</td>
          </tr>
          <tr>
            <th scope="row">Clinician</th>
            <td>{s.clinician.name}</td>
          </tr>
          <tr>
            <th scope="row">Protocol</th>
            <td>
              {s.protocol.name} v{s.protocol.version}
            </td>
          </tr>
          <tr>
            <th scope="row">Dose</th>
            <td>
              {r.dose
                ? `${r.dose.mg} mg ${r.dose.route}, taken ${formatDateTime(r.dose.takenAt)}${r.dose.lot ? `, lot ${r.dose.lot}` : ''}`
                : s.dosedAt
                  ? `dosed ${formatDateTime(s.dosedAt)}; dose details not recorded`
                  : 'not dosed'}
            </td>
          </tr>
          <tr>
            <th scope="row">Outcome</th>
            <td>
              {s.outcome.replace('_', ' ')}
              {r.abortReason ? ` (${r.abortReason})` : ''}
              {r.aborted &&
                ` by ${r.aborted.byName ?? 'an unknown account'} at ${formatDateTime(r.aborted.at)}`}
              {s.endedAt ? `, ended ${formatDateTime(s.endedAt)}` : ''}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>Blood pressure</h2>
      <table className="sv-kv">
        <tbody>
          <Bp label="Before dosing" bp={r.bloodPressure.beforeDosing} />
          <Bp
            label={`At the peak check (${peak?.targetMinutes ?? 45} min)`}
            bp={r.bloodPressure.atPeakCheck}
          />
          <Bp label="Before the end" bp={r.bloodPressure.beforeEnd} />
        </tbody>
      </table>
      <h2>During monitoring</h2>
      <table className="sv-kv">
        <tbody>
          <tr>
            <th scope="row">Sedation</th>
            <td>
              {yesNo(r.sedation.occurred)}{' '}
              <span className="muted">
                (lowest MOAA/S {r.sedation.lowestMoaas ?? '–'}, pre-dose{' '}
                {r.sedation.baselineMoaas ?? '–'})
              </span>
            </td>
          </tr>
          <tr>
            <th scope="row">Dissociation</th>
            <td>
              {yesNo(r.dissociation.occurred)}{' '}
              <span className="muted">
                (highest rating {r.dissociation.highestScore ?? '–'}/10)
              </span>
            </td>
          </tr>
          <tr>
            <th scope="row">Respiratory depression</th>
            <td>
              {yesNo(r.respiratoryDepression.occurred)}{' '}
              <span className="muted">
                (lowest SpO2 {r.respiratoryDepression.lowestSpo2 ?? '–'}%, resp. rate{' '}
                {r.respiratoryDepression.lowestRespRate ?? '–'}/min; limits ≤{' '}
                {r.respiratoryDepression.limits.spo2}% or ≤{' '}
                {r.respiratoryDepression.limits.respRate}/min)
              </span>
            </td>
          </tr>
          <tr>
            <th scope="row">Total monitoring time</th>
            <td>{r.totalMonitoringMinutes === null ? '–' : `${r.totalMonitoringMinutes} min`}</td>
          </tr>
          <tr>
            <th scope="row">Ready to leave</th>
            <td>
              {r.readyToLeaveMinutes === null ? '–' : `${r.readyToLeaveMinutes} min after the dose`}
            </td>
          </tr>
          <tr>
            <th scope="row">Concomitant BP-raising medicines</th>
            <td>
              {r.concomitantMedicines.bpRaising === null
                ? 'not asked'
                : yesNo(r.concomitantMedicines.bpRaising)}
              {r.concomitantMedicines.flags.length > 0 && (
                <span className="muted"> (flags: {r.concomitantMedicines.flags.join(', ')})</span>
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">Alerts</th>
            <td>
              {r.alerts.high} high, {r.alerts.medium} medium, {r.alerts.low} low
            </td>
          </tr>
        </tbody>
      </table>
      <h2>Clinician overrides</h2>
      {r.overrides.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {r.overrides.map((o) => (
            <li key={`${o.gate}-${o.at}`}>
              <strong>{o.gate === 'end' ? 'End checklist' : 'Pre-dose gate'}</strong> by{' '}
              {o.byName ?? o.by ?? 'unknown'}, {formatDateTime(o.at)}: “{o.reason}”
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
