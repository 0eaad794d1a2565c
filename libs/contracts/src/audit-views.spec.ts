import { auditViewOf } from './audit-views';

describe('auditViewOf', () => {
  it.each([
    ['vitals.submit', 'submissions'],
    ['device.vitals.submit', 'submissions'],
    ['auth.login', 'access'],
    ['auth.refresh_reuse', 'access'],
    ['live.handshake', 'access'],
    ['http.denied', 'access'],
    ['supervisor.report.read', 'access'],
    ['audit.verify', 'access'],
    ['session.read', 'access'],
    ['session.list', 'access'],
    ['session.watch', 'access'],
    ['session.fhir.export', 'access'],
    ['patient.overrides.read', 'access'],
    ['device.auth', 'access'],
    ['alert.acknowledge', 'clinical'],
    ['checkin.submit', 'clinical'],
    ['help.request', 'clinical'],
    ['note.add', 'clinical'],
    ['session.schedule', 'clinical'],
    ['patient.override.set', 'clinical'],
    ['device.pair', 'clinical'],
  ])('files %s under %s', (action, view) => {
    expect(auditViewOf(action)).toBe(view);
  });
});
