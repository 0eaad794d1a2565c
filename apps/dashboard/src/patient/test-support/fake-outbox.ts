import { Outbox, type OutboxItem, type OutboxStore, type SendResult } from '@vigil/outbox';

/** A real Outbox over memory, whose transport answers whatever the test says next. */
export function createFakeOutbox() {
  const rows = new Map<string, OutboxItem>();
  const store: OutboxStore = {
    put: (i) => Promise.resolve(void rows.set(i.clientId, i)),
    list: (u) => Promise.resolve([...rows.values()].filter((i) => i.userId === u)),
    remove: (ids) => Promise.resolve(ids.forEach((id) => rows.delete(id))),
  };
  const answers: SendResult[] = [];
  const sent: OutboxItem[] = [];
  const outbox = new Outbox({
    store,
    transport: {
      send: (item) => {
        sent.push(item);
        return Promise.resolve(answers.shift() ?? { kind: 'retry', message: 'no connection' });
      },
    },
    isOnline: () => true,
    setTimer: () => null, // retries are not under test here
    clearTimer: () => undefined,
  });
  return { outbox, rows, sent, answers };
}

export type FakeOutbox = ReturnType<typeof createFakeOutbox>;

/**
 * The patient-outbox module with the phone's outbox replaced by a fake one, for
 * `jest.mock('.../outbox/patient-outbox', () => jest.requireActual(...).patientOutboxModule())`
 * (a factory jest hoists cannot import); `fakeOf(patientOutbox)` reaches the fake.
 */
export function patientOutboxModule(): { patientOutbox: Outbox } {
  const fake = createFakeOutbox();
  return { patientOutbox: Object.assign(fake.outbox, { fake }) };
}

/** The fake behind the mocked `patientOutbox` (`patientOutboxModule`). */
export const fakeOf = (outbox: Outbox): FakeOutbox =>
  (outbox as Outbox & { fake: FakeOutbox }).fake;
