import type { AlertRecord } from '../../read-model/session-model';
import { iso, makeAlert, T0 } from '../../read-model/testing';
import { alarmLevel, countAlerts, highestPriority } from './alert-logic';
import { faviconFor, titleFor } from './tab-badge';

const alert = (over: Partial<AlertRecord>) => makeAlert({ id: 'a', ...over });

describe('alarm level', () => {
  it('sounds the highest unacknowledged, unsilenced high or medium alert', () => {
    expect(alarmLevel([alert({ priority: 'medium' }), alert({ priority: 'high' })], T0)).toBe(
      'high',
    );
    expect(alarmLevel([alert({ priority: 'medium' })], T0)).toBe('medium');
  });

  it('stops for acknowledged, silenced, low and info alerts, and resumes when a silence ends', () => {
    const silenced = alert({ silencedUntil: iso(120_000) });
    expect(alarmLevel([alert({ status: 'acknowledged' })], T0)).toBeNull();
    expect(alarmLevel([silenced], T0 + 60_000)).toBeNull();
    expect(alarmLevel([silenced], T0 + 120_001)).toBe('high');
    expect(alarmLevel([alert({ priority: 'low' }), alert({ priority: 'info' })], T0)).toBeNull();
  });
});

describe('alert counts, tab title and favicon', () => {
  it('counts unresolved alerts that need a person, leaving out info and resolved', () => {
    const counts = countAlerts([
      alert({ priority: 'medium' }),
      alert({ priority: 'high', status: 'acknowledged' }),
      alert({ priority: 'info' }),
      alert({ status: 'resolved' }),
    ]);
    expect(counts).toMatchObject({ total: 2, unacknowledged: 1 });
    expect(highestPriority(counts)).toBe('high');
  });

  it('shows the count in the title and on the favicon', () => {
    expect(titleFor(0, null)).toBe('Vigil');
    expect(titleFor(2, 'high')).toMatch(/^\(2\) ‼ 2 open alerts/);
    expect(decodeURIComponent(faviconFor(3, 'medium'))).toContain('>3</text>');
    expect(decodeURIComponent(faviconFor(0, null))).not.toContain('<text');
  });
});
