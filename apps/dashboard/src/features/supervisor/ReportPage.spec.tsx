import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen, within } from '@testing-library/react';
import { ReportPage } from './ReportPage';
import { supervisorApi } from './supervisor-api';
import { remsReport, renderAt } from './testing';

describe('ReportPage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shows the REMS form: BP at the three points, what occurred, times, medicines and overrides', async () => {
    jest.spyOn(supervisorApi, 'report').mockResolvedValue(remsReport());
    renderAt('/supervisor/sessions/s1/report', '/supervisor/sessions/:id/report', <ReportPage />);
    const before = (await screen.findByText('Before dosing')).closest('tr') as HTMLElement;
    expect(within(before).getByText('148/88 mmHg')).toBeInTheDocument();
    const peak = screen.getByText('At the peak check (45 min)').closest('tr') as HTMLElement;
    expect(peak).toHaveTextContent('170/100 mmHg');
    expect(peak).toHaveTextContent('45 min after the dose');
    const end = screen.getByText('Before the end').closest('tr') as HTMLElement;
    expect(end).toHaveTextContent('not recorded');
    expect(screen.getByText('Sedation').closest('tr')).toHaveTextContent(
      'Yes (lowest MOAA/S 3, pre-dose 5)',
    );
    expect(screen.getByText('Respiratory depression').closest('tr')).toHaveTextContent('No');
    expect(screen.getByText('Ready to leave').closest('tr')).toHaveTextContent(
      '125 min after the dose',
    );
    expect(screen.getByText('Concomitant BP-raising medicines').closest('tr')).toHaveTextContent(
      'Yes',
    );
    expect(screen.getByText(/Reviewed by phone/)).toBeInTheDocument();
  });

  it('says who aborted an aborted session, when and why', async () => {
    const base = remsReport();
    jest.spyOn(supervisorApi, 'report').mockResolvedValue({
      ...base,
      session: { ...base.session, state: 'aborted', outcome: 'aborted' },
      abortReason: 'Patient declined',
      aborted: { by: 'u-9', byName: 'Sue Pervisor', at: '2026-11-20T10:05:00.000Z' },
    });
    renderAt('/supervisor/sessions/s1/report', '/supervisor/sessions/:id/report', <ReportPage />);
    const outcome = (await screen.findByText('Outcome')).closest('tr') as HTMLElement;
    expect(outcome).toHaveTextContent(/aborted \(Patient declined\) by Sue Pervisor at/);
  });

  it('prints and downloads the CSV', async () => {
    jest.spyOn(supervisorApi, 'report').mockResolvedValue(remsReport());
    const download = jest.spyOn(supervisorApi, 'downloadReportCsv').mockResolvedValue();
    const print = jest.spyOn(window, 'print').mockImplementation(() => undefined);
    renderAt('/supervisor/sessions/s1/report', '/supervisor/sessions/:id/report', <ReportPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(download).toHaveBeenCalledWith('s1');
  });

  it('exports the session as FHIR, and says so when the export fails', async () => {
    jest.spyOn(supervisorApi, 'report').mockResolvedValue(remsReport());
    const fhir = jest
      .spyOn(supervisorApi, 'downloadFhir')
      .mockRejectedValue(new Error('FHIR export download failed (404)'));
    renderAt('/supervisor/sessions/s1/report', '/supervisor/sessions/:id/report', <ReportPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Export FHIR' }));
    expect(fhir).toHaveBeenCalledWith('s1');
    expect(await screen.findByRole('alert')).toHaveTextContent('FHIR export download failed (404)');
  });
});
