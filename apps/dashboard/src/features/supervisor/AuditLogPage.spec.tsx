import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { AuditLogEntry } from '@vigil/contracts';
import { AuditLogPage } from './AuditLogPage';
import { supervisorApi } from './supervisor-api';
import { account, renderAt } from './testing';

const entry = (seq: number, over: Partial<AuditLogEntry> = {}): AuditLogEntry => ({
  seq,
  at: '2026-11-26T10:00:00.000Z',
  actor: { id: 'u1', role: 'clinician', name: 'Dr Ada' },
  action: 'session.read',
  entityType: 'session',
  entityId: 'abcdef12-0000-0000-0000-000000000000',
  patientId: null,
  outcome: 'success',
  sourceIp: '127.0.0.1',
  detail: {},
  hash: 'f'.repeat(64),
  ...over,
});

describe('AuditLogPage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists entries and filters by action and outcome on the server', async () => {
    const log = jest.spyOn(supervisorApi, 'auditLog').mockResolvedValue({
      items: [entry(2), entry(1, { outcome: 'denied', action: 'supervisor.denied' })],
      total: 2,
      page: 1,
      pageSize: 50,
    });
    renderAt('/supervisor/audit', '/supervisor/audit', <AuditLogPage />);
    expect(await screen.findAllByTestId('audit-row')).toHaveLength(2);
    expect(screen.getByText('supervisor.denied')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Action'), { target: { value: 'auth.*' } });
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'denied' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() =>
      expect(log).toHaveBeenLastCalledWith(
        expect.objectContaining({ action: 'auth.*', outcome: 'denied', page: '1' }),
      ),
    );
  });

  it('verifies the chain and names the first broken link', async () => {
    jest
      .spyOn(supervisorApi, 'auditLog')
      .mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 50 });
    jest.spyOn(supervisorApi, 'verify').mockResolvedValue({
      ok: false,
      checkedRows: 6,
      headSeq: 40,
      headHash: 'a'.repeat(64),
      firstBroken: {
        seq: 7,
        id: '7',
        reason: 'hash_mismatch',
        message: 'seq 7 was changed after it was written',
      },
      verifiedAt: '2026-11-26T10:00:00.000Z',
      durationMs: 3,
    });
    renderAt('/supervisor/audit', '/supervisor/audit', <AuditLogPage />);
    fireEvent.click(screen.getByRole('button', { name: 'Verify the audit chain' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Broken at seq 7: seq 7 was changed after it was written',
    );
  });

  it('filters by a person and a patient chosen by name, one view at a time', async () => {
    jest
      .spyOn(supervisorApi, 'accounts')
      .mockResolvedValue([
        account({ id: 'u1', name: 'Dr Ada', role: 'clinician' }),
        account({ id: 'u2', name: 'Pat One', role: 'patient', patientId: 'p1' }),
      ]);
    const log = jest.spyOn(supervisorApi, 'auditLog').mockResolvedValue({
      items: [entry(3, { action: 'alert.acknowledge', patientId: 'p1' })],
      total: 1,
      page: 1,
      pageSize: 50,
    });
    renderAt('/supervisor/audit', '/supervisor/audit', <AuditLogPage />);
    expect(await screen.findByRole('cell', { name: 'Pat One' })).toBeInTheDocument();
    expect(log).toHaveBeenLastCalledWith(expect.objectContaining({ view: 'clinical' }));
    await screen.findByRole('option', { name: 'Dr Ada (clinician)' });
    fireEvent.change(screen.getByLabelText('Person'), { target: { value: 'u1' } });
    fireEvent.change(screen.getByLabelText('Patient'), { target: { value: 'p1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() =>
      expect(log).toHaveBeenLastCalledWith(
        expect.objectContaining({ actorId: 'u1', patientId: 'p1', view: 'clinical' }),
      ),
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Vitals submissions' }));
    await waitFor(() =>
      expect(log).toHaveBeenLastCalledWith(expect.objectContaining({ view: 'submissions' })),
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Everything' }));
    await waitFor(() =>
      expect(log).toHaveBeenLastCalledWith(expect.objectContaining({ view: '' })),
    );
  });
});
