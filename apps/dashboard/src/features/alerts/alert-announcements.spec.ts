import type { AlertRecord } from '../../read-model/session-model';
import { makeAlert } from '../../read-model/testing';
import { nextAnnouncement } from './alert-announcements';
import type { SessionAlert } from './useAnnunciation';

const names = new Map([
  ['s1', 'Pat One'],
  ['s2', 'Sam Two'],
]);
const at = (sessionId: string, over: Partial<AlertRecord>): SessionAlert => ({
  sessionId,
  alert: makeAlert(over),
});

describe('nextAnnouncement', () => {
  it('says a new high alert at once and a new medium one politely, naming the patient', () => {
    const said = nextAnnouncement(
      [
        at('s1', { id: 'a', priority: 'high', message: 'SBP 186 > 180' }),
        at('s2', { id: 'b', priority: 'medium', message: 'SpO2 93 <= 93' }),
      ],
      names,
      new Set(),
    );
    expect(said).toEqual({
      assertive: 'High alert for Pat One: SBP 186 > 180.',
      polite: 'Medium alert for Sam Two: SpO2 93 <= 93.',
    });
  });

  it('says each alert once, and again only when it is announced again (reopened or risen)', () => {
    const announced = new Set<string>();
    const a = at('s1', { id: 'a', priority: 'high', message: 'Help requested' });
    expect(nextAnnouncement([a], names, announced)).not.toBeNull();
    expect(nextAnnouncement([a], names, announced)).toBeNull();
    const valueOnly = at('s1', { id: 'a', priority: 'high', message: 'Help requested ×2' });
    expect(nextAnnouncement([valueOnly], names, announced)).toBeNull();
    const reopened = at('s1', { id: 'a', priority: 'high', message: 'X', annunciation: 2 });
    expect(nextAnnouncement([reopened], names, announced)?.assertive).toBe(
      'High alert again for Pat One: X.',
    );
  });

  it('stays quiet for low and info alerts and for acknowledged or resolved ones', () => {
    const said = nextAnnouncement(
      [
        at('s1', { id: 'a', priority: 'low' }),
        at('s1', { id: 'b', priority: 'info' }),
        at('s1', { id: 'c', priority: 'high', status: 'acknowledged' }),
        at('s1', { id: 'd', priority: 'high', status: 'resolved' }),
      ],
      names,
      new Set(),
    );
    expect(said).toBeNull();
  });

  it('says a burst in one breath: three by name, then how many more', () => {
    const burst = ['a', 'b', 'c', 'd', 'e'].map((id) =>
      at('s1', { id, priority: 'high', message: id }),
    );
    expect(nextAnnouncement(burst, names, new Set())?.assertive).toBe(
      'High alert for Pat One: a. High alert for Pat One: b. High alert for Pat One: c. And 2 more.',
    );
  });
});
