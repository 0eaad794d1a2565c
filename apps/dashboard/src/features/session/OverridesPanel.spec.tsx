import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eventLog, iso } from '../../read-model/testing';
import type { OverrideSettingView } from './overrides-api';
import { OverridesPanel } from './OverridesPanel';

const setting = (over: Partial<OverrideSettingView> = {}): OverrideSettingView => ({
  setting: 'spo2Low',
  label: 'SpO2 low limit',
  unit: '%',
  min: 85,
  max: 94,
  default: 91,
  value: 91,
  override: null,
  ...over,
});

const overridden = setting({
  value: 88,
  override: { value: 88, reason: 'COPD, baseline 90 %', by: 'u2', byName: 'Dr Lee', at: iso(0) },
});
const sbp = setting({
  setting: 'sbpHigh',
  label: 'SBP high limit',
  unit: 'mm[Hg]',
  min: 160,
  max: 200,
  default: 180,
  value: 180,
});

type Answer = { status: number; body: unknown };

/** fetch answering in order; records what was asked (jsdom has no Response). */
function mockFetch(...answers: Answer[]) {
  const fetchMock = jest.fn((_url: string, _init?: RequestInit) => {
    const next = answers.shift() ?? { status: 200, body: { settings: [overridden, sbp] } };
    return Promise.resolve({
      ok: next.status < 400,
      status: next.status,
      headers: new Headers(),
      text: () => Promise.resolve(JSON.stringify(next.body)),
    });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return fetchMock;
}

type PanelProps = Partial<Parameters<typeof OverridesPanel>[0]>;

function renderPanel(props: PanelProps = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const tree = (p: PanelProps) => (
    <QueryClientProvider client={client}>
      <OverridesPanel patientId="p1" sessionId="s1" changes={[]} {...p} />
    </QueryClientProvider>
  );
  const result = render(tree(props));
  return { ...result, rerenderWith: (p: PanelProps) => result.rerender(tree(p)) };
}

const row = (name: string) =>
  screen.getAllByTestId('override-row').find((r) => r.dataset.setting === name)!;

describe('OverridesPanel', () => {
  it('lists the settings with the value in force, and who set an override, when and why', async () => {
    const fetchMock = mockFetch({ status: 200, body: { settings: [overridden, sbp] } });
    renderPanel();
    expect(await screen.findByText('1 setting overridden')).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe('/api/patients/p1/overrides');
    expect(row('spo2Low')).toHaveTextContent('SpO2 low limit 88 % (default 91, allowed 85–94 %)');
    expect(row('spo2Low')).toHaveTextContent(/Set by Dr Lee at \d\d:\d\d: “COPD, baseline 90 %”/);
    expect(row('sbpHigh')).toHaveTextContent('SBP high limit 180 mmHg default');
    expect(screen.getByRole('heading', { name: /Protocol overrides/ })).toHaveTextContent(
      '1 in force',
    );
  });

  it('sets an override with a value and a reason, then shows the list again', async () => {
    const fetchMock = mockFetch(
      { status: 200, body: { settings: [overridden, sbp] } },
      { status: 200, body: { ...sbp, value: 170 } },
    );
    renderPanel();
    await screen.findByText('1 setting overridden');
    await userEvent.click(within(row('sbpHigh')).getByRole('button', { name: /Override SBP/ }));
    const save = screen.getByRole('button', { name: 'Save override' });
    expect(save).toBeDisabled();
    const value = screen.getByLabelText('New SBP high limit (160–200 mmHg)');
    await userEvent.clear(value);
    await userEvent.type(value, '170');
    await userEvent.type(
      screen.getByLabelText(/Why this patient needs it/),
      'Treated hypertension',
    );
    await userEvent.click(save);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(3));
    const [url, init] = fetchMock.mock.calls[1];
    expect(url).toBe('/api/patients/p1/overrides/sbpHigh');
    expect(init?.method).toBe('PUT');
    expect(JSON.parse(init?.body as string)).toEqual({
      value: 170,
      reason: 'Treated hypertension',
    });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Save override' })).toBeNull());
  });

  it('says in words when a value is outside the bounds, before and after asking the server', async () => {
    const fetchMock = mockFetch(
      { status: 200, body: { settings: [overridden, sbp] } },
      {
        status: 400,
        body: { statusCode: 400, message: 'sbpHigh must be between 160 and 200 mm[Hg]' },
      },
    );
    renderPanel();
    await screen.findByText('1 setting overridden');
    await userEvent.click(within(row('sbpHigh')).getByRole('button', { name: /Override SBP/ }));
    const value = screen.getByLabelText(/New SBP high limit/);
    await userEvent.clear(value);
    await userEvent.type(value, '240');
    await userEvent.type(screen.getByLabelText(/Why this patient needs it/), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save override' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'SBP high limit must be within 160–200 mmHg; 240 is outside.',
    );
    expect(fetchMock).toHaveBeenCalledTimes(1);

    // Within what this screen knows, but refused by the server: its message, in words.
    await userEvent.clear(value);
    await userEvent.type(value, '190');
    await userEvent.click(screen.getByRole('button', { name: 'Save override' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'sbpHigh must be between 160 and 200 mm[Hg]',
    );
  });

  it('clears an override with a reason (DELETE with a body)', async () => {
    const fetchMock = mockFetch(
      { status: 200, body: { settings: [overridden, sbp] } },
      { status: 200, body: {} },
    );
    renderPanel();
    await screen.findByText('1 setting overridden');
    await userEvent.click(within(row('spo2Low')).getByRole('button', { name: /Clear SpO2/ }));
    await userEvent.type(screen.getByLabelText(/Why the default applies again/), 'Resolved');
    await userEvent.click(screen.getByRole('button', { name: 'Clear override' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(3));
    const [url, init] = fetchMock.mock.calls[1];
    expect(url).toBe('/api/patients/p1/overrides/spo2Low');
    expect(init?.method).toBe('DELETE');
    expect(JSON.parse(init?.body as string)).toEqual({ reason: 'Resolved' });
  });

  it('offers no changes to a reader who may not make them, and says when the list cannot load', async () => {
    mockFetch({ status: 200, body: { settings: [overridden, sbp] } });
    const { unmount } = renderPanel({ canEdit: false });
    await screen.findByText('1 setting overridden');
    expect(screen.queryByRole('button', { name: /Override|Clear/ })).toBeNull();
    unmount();
    mockFetch({ status: 404, body: { statusCode: 404, message: 'patient not found' } });
    renderPanel();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the overrides: Patient not found.',
    );
  });

  it('lists the changes made during this session and reloads when one arrives', async () => {
    const fetchMock = mockFetch();
    const { rerenderWith } = renderPanel();
    await screen.findByText('1 setting overridden');
    const log = eventLog();
    log.events.push({
      sessionId: 's1',
      seq: 7,
      type: 'protocol.overridden',
      at: iso(60_000),
      actorId: 'u2',
      data: { setting: 'spo2Low', value: 88, previous: 91, reason: 'COPD', by: 'u2' },
    });
    const next = log.model().protocolChanges;
    rerenderWith({ changes: next });
    expect(await screen.findByText(/spo2Low set to 88 \(was 91\) · “COPD”/)).toBeInTheDocument();
    await waitFor(() => expect(fetchMock.mock.calls.length).toBeGreaterThanOrEqual(2));
  });
});
