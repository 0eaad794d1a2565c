import { render, screen } from '@testing-library/react';
import type { OutboxItem } from '@vigil/outbox';
import { OutboxList } from './OutboxList';
import { SyncStatus } from './SyncStatus';

const item = (
  clientId: string,
  kind: OutboxItem['kind'],
  status: OutboxItem['status'],
  lastError?: string,
) => ({ clientId, kind, status, lastError, createdAt: '2026-11-26T10:00:00Z' }) as OutboxItem;

describe('OutboxList and SyncStatus', () => {
  const items = [
    item('a', 'checkin', 'delivered'),
    item('b', 'vitals', 'pending'),
    item('c', 'checkin', 'pending'),
    item('d', 'checkin', 'rejected', 'moaas: must be at most 5'),
    item('e', 'transition', 'pending'),
  ];

  it('tells for each item whether it is only on the phone or with the care team, newest first', () => {
    render(<OutboxList items={items} />);
    const rows = screen.getAllByTestId('outbox-item');
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual([
      'rejected',
      'pending',
      'pending',
      'delivered',
    ]);
    // In the patient's words, not the server's field name (refusal-words.ts).
    expect(rows[0]).toHaveTextContent(
      'Not accepted: Please check the first question (saying the name), then send it again.',
    );
    expect(rows[1]).toHaveTextContent('Saved on this phone, not sent yet');
    expect(rows[3]).toHaveTextContent('Received by your care team');
  });

  it('counts what is waiting, leaving out internal session steps', () => {
    render(<SyncStatus items={items} />);
    expect(screen.getByTestId('sync-status')).toHaveTextContent(
      '2 waiting to send (saved on this phone)',
    );
  });
});
