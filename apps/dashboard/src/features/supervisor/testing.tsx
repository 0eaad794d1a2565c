import '../../shared/testing/jsdom-polyfills';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { AccountWithHistory, RemsReport, SessionHistoryItem } from '@vigil/contracts';

/** Renders a supervisor page at a route, with a fresh query cache and no retries. */
export function renderAt(path: string, pattern: string, element: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={pattern} element={element} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export function historyItem(over: Partial<SessionHistoryItem> = {}): SessionHistoryItem {
  return {
    // v1.1 `overrides`, spread in so the factory fits before and after the summary gains it.
    ...{ overrides: [] },
    id: 's1',
    patient: { id: 'p1', name: 'Ann Patient' },
    clinician: { id: 'c1', name: 'Dr Ada' },
    state: 'ended',
    protocol: { id: 'pr', name: 'oral', version: 1 },
    scheduledFor: null,
    dosedAt: '2026-11-26T10:00:00.000Z',
    endedAt: '2026-11-26T12:10:00.000Z',
    headSeq: 30,
    createdAt: '2026-11-26T09:00:00.000Z',
    outcome: 'signed_off',
    alerts: { high: 1, medium: 2, low: 0, info: 0 },
    escalations: 1,
    monitoringMinutes: 130,
    ...over,
  };
}

export function remsReport(over: Partial<RemsReport> = {}): RemsReport {
  const bp = (
    sbp: number,
    dbp: number,
    minutes: number | null,
    source: 'screening' | 'vitals',
  ) => ({
    sbp,
    dbp,
    at: '2026-11-26T10:45:00.000Z',
    minutesAfterDose: minutes,
    source,
  });
  return {
    session: {
      id: 's1',
      patient: { id: 'p1', name: 'Ann Patient' },
      clinician: { id: 'c1', name: 'Dr Ada' },
      protocol: { name: 'oral', version: 1 },
      state: 'ended',
      outcome: 'signed_off',
      scheduledFor: null,
      dosedAt: '2026-11-26T10:00:00.000Z',
      endedAt: '2026-11-26T12:10:00.000Z',
    },
    dose: { mg: 100, route: 'oral', takenAt: '2026-11-26T10:00:00.000Z', lot: null },
    bloodPressure: {
      beforeDosing: bp(148, 88, null, 'screening'),
      atPeakCheck: { ...bp(170, 100, 45, 'vitals'), targetMinutes: 45 },
      beforeEnd: null,
    },
    sedation: { occurred: true, baselineMoaas: 5, lowestMoaas: 3 },
    dissociation: { occurred: false, highestScore: 0 },
    respiratoryDepression: {
      occurred: false,
      lowestSpo2: 95,
      lowestRespRate: 14,
      limits: { spo2: 91, respRate: 8 },
    },
    totalMonitoringMinutes: 130,
    readyToLeaveMinutes: 125,
    concomitantMedicines: { bpRaising: true, flags: ['concomitant_bp_meds'] },
    overrides: [
      {
        gate: 'end',
        reason: 'Reviewed by phone',
        by: 'c1',
        byName: 'Dr Ada',
        at: '2026-11-26T12:09:00.000Z',
      },
    ],
    alerts: { high: 1, medium: 2, low: 0, info: 0 },
    abortReason: null,
    aborted: null,
    generatedAt: '2026-11-27T09:00:00.000Z',
    ...over,
  };
}

/** An account as GET /api/admin/accounts lists it: an active clinician unless told otherwise. */
export function account(over: Partial<AccountWithHistory>): AccountWithHistory {
  return {
    id: 'x',
    email: 'x@vigil.test',
    name: 'X',
    role: 'clinician',
    active: true,
    createdAt: '2026-11-20T09:00:00.000Z',
    deactivatedAt: null,
    patientId: null,
    assignments: [],
    ...over,
  };
}
