import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeviceSummary } from '@vigil/contracts';
import { eventLog, iso, T0 } from '../../read-model/testing';
import { applyProvenance, emptyProvenance } from './device-provenance';
import { DevicePanel } from './DevicePanel';

const device = (over: Partial<DeviceSummary> = {}): DeviceSummary => ({
  id: 'd1',
  patientId: 'p1',
  kind: 'pulse_oximeter',
  manufacturer: 'Masimo',
  model: 'MightySat',
  serial: 'OX-1',
  status: 'active',
  credentialHint: 'vgd_0123456789abcdef_…',
  pairedAt: iso(0),
  pairedBy: { id: 'u1', name: 'Dr Lee' },
  rotatedAt: null,
  revokedAt: null,
  revokedBy: null,
  revokeReason: null,
  lastSeenAt: iso(5_000),
  ...over,
});

type Answer = { status: number; body: unknown };

function mockFetch(...answers: Answer[]) {
  const fetchMock = jest.fn((_url: string, _init?: RequestInit) => {
    const next = answers.shift() ?? { status: 200, body: [device()] };
    return Promise.resolve({
      ok: next.status < 400,
      status: next.status,
      text: () => Promise.resolve(JSON.stringify(next.body)),
    });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

function renderPanel() {
  const provenance = applyProvenance(
    emptyProvenance(),
    eventLog().add('vitals.recorded', 10_000, {
      readings: [{ kind: 'spo2', value: 96, measuredAt: iso(9_000), source: 'device' }],
      device: {
        id: 'd1',
        kind: 'pulse_oximeter',
        manufacturer: 'Masimo',
        model: 'MightySat',
        via: 'socket',
      },
    }).events,
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <DevicePanel patientId="p1" provenance={provenance} now={T0 + 40_000} />
    </QueryClientProvider>,
  );
}

describe('DevicePanel', () => {
  it('shows which device each reading came from and when each device last reported', async () => {
    mockFetch({ status: 200, body: [device()] });
    renderPanel();
    expect(screen.getByTestId('source-spo2')).toHaveTextContent(
      'Pulse oximeter · Masimo MightySat',
    );
    expect(await screen.findByTestId('device')).toHaveTextContent('MightySat');
    expect(screen.getByTestId('device-last-report')).toHaveTextContent('Last reported 30 s ago');
  });

  it('pairs a device and shows its credential once, until dismissed', async () => {
    const fetchMock = mockFetch(
      { status: 200, body: [] },
      {
        status: 201,
        body: { device: device({ id: 'd2', serial: 'OX-2' }), credential: 'vgd_secret' },
      },
      { status: 200, body: [device({ id: 'd2', serial: 'OX-2' })] },
    );
    renderPanel();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Manufacturer'), 'Masimo');
    await user.type(screen.getByLabelText('Model'), 'MightySat');
    await user.type(screen.getByLabelText('Serial'), 'OX-2');
    await user.click(screen.getByRole('button', { name: 'Pair device' }));
    expect(await screen.findByTestId('device-credential')).toHaveTextContent('vgd_secret');
    const [url, init] = fetchMock.mock.calls[1];
    expect(url).toBe('/api/patients/p1/devices');
    expect(JSON.parse(init?.body as string)).toEqual({
      kind: 'pulse_oximeter',
      manufacturer: 'Masimo',
      model: 'MightySat',
      serial: 'OX-2',
    });
    await user.click(screen.getByRole('button', { name: 'Done, hide it' }));
    expect(screen.queryByTestId('device-credential')).toBeNull();
  });

  it('revokes with a reason, and rotates for a new credential', async () => {
    const fetchMock = mockFetch(
      { status: 200, body: [device()] },
      { status: 200, body: { device: device({ rotatedAt: iso(20_000) }), credential: 'vgd_new' } },
      { status: 200, body: [device()] },
      { status: 200, body: device({ status: 'revoked' }) },
      { status: 200, body: [device({ status: 'revoked', revokedAt: iso(30_000) })] },
    );
    renderPanel();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rotate credential' }));
    expect(await screen.findByTestId('device-credential')).toHaveTextContent('vgd_new');
    await user.click(screen.getByRole('button', { name: 'Revoke…' }));
    await user.type(screen.getByLabelText('Reason'), 'lost');
    await user.click(screen.getByRole('button', { name: 'Revoke now' }));
    await waitFor(() => expect(screen.queryByTestId('device')).toBeNull());
    const urls = fetchMock.mock.calls.map(([u]) => u);
    expect(urls).toContain('/api/patients/p1/devices/d1/rotate');
    expect(urls).toContain('/api/patients/p1/devices/d1/revoke');
    const revoke = fetchMock.mock.calls.find(([u]) => u.endsWith('/revoke'));
    expect(JSON.parse(revoke?.[1]?.body as string)).toEqual({ reason: 'lost' });
  });
});
