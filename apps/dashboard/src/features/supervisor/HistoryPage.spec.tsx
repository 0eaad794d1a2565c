import '../../shared/testing/jsdom-polyfills';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { HistoryPage } from './HistoryPage';
import { supervisorApi } from './supervisor-api';
import { historyItem, renderAt } from './testing';

describe('HistoryPage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lists sessions with replay and report links, and pages on the server', async () => {
    const history = jest.spyOn(supervisorApi, 'history').mockImplementation((f) =>
      Promise.resolve({
        items: [
          historyItem({ id: `s-${f.page}`, patient: { id: 'p', name: `Patient ${f.page}` } }),
        ],
        total: 45,
        page: Number(f.page),
        pageSize: 20,
      }),
    );
    renderAt('/supervisor', '/supervisor', <HistoryPage />);
    expect(await screen.findByText('Patient 1')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3 (45 rows)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Replay' })).toHaveAttribute(
      'href',
      '/supervisor/sessions/s-1',
    );
    expect(screen.getByRole('link', { name: 'Report' })).toHaveAttribute(
      'href',
      '/supervisor/sessions/s-1/report',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    expect(await screen.findByText('Patient 2')).toBeInTheDocument();
    expect(history).toHaveBeenLastCalledWith({ page: '2', pageSize: '20' });
  });

  it('sends the filters to the server and starts again from page 1', async () => {
    const history = jest
      .spyOn(supervisorApi, 'history')
      .mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 20 });
    renderAt('/supervisor', '/supervisor', <HistoryPage />);
    await waitFor(() => expect(history).toHaveBeenCalled());
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'aborted' } });
    fireEvent.change(screen.getByLabelText('Had alerts'), { target: { value: 'high' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01T00:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(history).toHaveBeenLastCalledWith(
        expect.objectContaining({
          outcome: 'aborted',
          alertPriority: 'high',
          from: new Date('2026-11-01T00:00').toISOString(),
          page: '1',
        }),
      ),
    );
    expect(await screen.findByText('No session matches these filters.')).toBeInTheDocument();
  });

  it('says when the history could not be loaded', async () => {
    jest
      .spyOn(supervisorApi, 'history')
      .mockRejectedValue(new Error('from: must be an ISO 8601 date-time'));
    renderAt('/supervisor', '/supervisor', <HistoryPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'from: must be an ISO 8601 date-time',
    );
  });
});
