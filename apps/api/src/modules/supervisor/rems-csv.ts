import type { BpAt, RemsReport } from '@vigil/contracts';

/**
 * A spreadsheet cell: quoted when needed, and a leading = + - @ (or tab/CR) defused with a quote
 * mark, since free text (an override reason) must never run as a formula when opened.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const yesNo = (b: boolean | null) => (b === null ? '' : b ? 'yes' : 'no');
const bp = (b: BpAt | null) => (b ? `${b.sbp ?? '?'}/${b.dbp ?? '?'}` : '');

/** One header row and one row per session, in the order of the REMS monitoring form. */
export function remsCsv(reports: readonly RemsReport[]): string {
  const columns: Array<[string, (r: RemsReport) => unknown]> = [
    ['session_id', (r) => r.session.id],
    ['patient', (r) => r.session.patient.name],
    ['clinician', (r) => r.session.clinician.name],
    ['protocol', (r) => `${r.session.protocol.name} v${r.session.protocol.version}`],
    ['outcome', (r) => r.session.outcome],
    ['dosed_at', (r) => r.session.dosedAt],
    ['ended_at', (r) => r.session.endedAt],
    ['dose_mg', (r) => r.dose?.mg],
    ['route', (r) => r.dose?.route],
    ['bp_before_dosing', (r) => bp(r.bloodPressure.beforeDosing)],
    ['bp_before_dosing_at', (r) => r.bloodPressure.beforeDosing?.at],
    ['bp_peak_check', (r) => bp(r.bloodPressure.atPeakCheck)],
    ['bp_peak_check_minutes', (r) => r.bloodPressure.atPeakCheck?.minutesAfterDose],
    ['bp_before_end', (r) => bp(r.bloodPressure.beforeEnd)],
    ['bp_before_end_minutes', (r) => r.bloodPressure.beforeEnd?.minutesAfterDose],
    ['sedation', (r) => yesNo(r.sedation.occurred)],
    ['lowest_moaas', (r) => r.sedation.lowestMoaas],
    ['dissociation', (r) => yesNo(r.dissociation.occurred)],
    ['highest_dissociation', (r) => r.dissociation.highestScore],
    ['respiratory_depression', (r) => yesNo(r.respiratoryDepression.occurred)],
    ['lowest_spo2', (r) => r.respiratoryDepression.lowestSpo2],
    ['lowest_resp_rate', (r) => r.respiratoryDepression.lowestRespRate],
    ['total_monitoring_minutes', (r) => r.totalMonitoringMinutes],
    ['ready_to_leave_minutes', (r) => r.readyToLeaveMinutes],
    ['concomitant_bp_raising_meds', (r) => yesNo(r.concomitantMedicines.bpRaising)],
    [
      'overrides',
      (r) =>
        r.overrides.map((o) => `${o.gate}: ${o.reason} (${o.byName ?? o.by ?? '?'})`).join(' | '),
    ],
    ['abort_reason', (r) => r.abortReason],
    ['aborted_by', (r) => (r.aborted ? (r.aborted.byName ?? r.aborted.by) : null)],
    ['aborted_at', (r) => r.aborted?.at ?? null],
    ['alerts_high', (r) => r.alerts.high],
    ['alerts_medium', (r) => r.alerts.medium],
    ['generated_at', (r) => r.generatedAt],
  ];
  const lines = [columns.map(([name]) => name).join(',')];
  for (const r of reports) lines.push(columns.map(([, get]) => csvCell(get(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
