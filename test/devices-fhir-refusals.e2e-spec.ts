import { manual } from './support/clinical';
import { bundle, observation, postFhir } from './support/devices';
import { http } from './support/factories';
import { headSeq, setupFhirIngest } from './support/fhir-fixture';
import type { TestApp } from './support/test-app';

describe('FHIR R4 ingest from paired devices: malformed requests refused with an OperationOutcome', () => {
  let t: TestApp;
  let sessionId: string;
  let hub: { id: string; credential: string };

  const head = (id = sessionId) => headSeq(t, id);

  beforeAll(async () => {
    ({ t, sessionId, hub } = await setupFhirIngest());
  });
  // Readings are dated by the wall clock; keep the app's manual clock with it (a reading more
  // than a minute ahead of the server's clock is refused).
  beforeEach(() => manual(t).set(new Date()));
  afterAll(() => t.close());

  it.each([
    [
      'a wrong code system',
      observation('8867-4', 70, '/min', {
        code: { coding: [{ system: 'http://snomed.info/sct', code: '8867-4' }] },
      }),
      'Observation.code.coding[0].system',
    ],
    [
      'a missing value',
      { ...observation('8867-4', 70, '/min'), valueQuantity: undefined },
      'Observation.valueQuantity',
    ],
    ['a wrong unit', observation('8867-4', 70, 'kg'), 'Observation.valueQuantity.code'],
    ['a non-UCUM unit', observation('8480-6', 120, 'mmHg'), 'Observation.valueQuantity.code'],
    ['an implausible value', observation('59408-5', 120, '%'), 'Observation.valueQuantity.value'],
    [
      'a wrong resourceType',
      { ...observation('8867-4', 70, '/min'), resourceType: 'Patient' },
      'Observation.resourceType',
    ],
    [
      'no time',
      { ...observation('8867-4', 70, '/min'), effectiveDateTime: undefined },
      'Observation.effective[x]',
    ],
    ['an unsupported code', observation('29463-7', 70, 'kg'), 'Observation.code.coding'],
    // Read past before: stored, its retries keyed by device, code and time, not the identifier.
    [
      'an identifier that is one Identifier, not a list',
      observation('8867-4', 70, '/min', { identifier: { system: 'urn:test:obs', value: 'one' } }),
      'Observation.identifier',
    ],
    [
      'a numeric identifier value',
      observation('8867-4', 70, '/min', { identifier: [{ system: 'urn:test:obs', value: 4711 }] }),
      'Observation.identifier[0].value',
    ],
  ])(
    'answers %s with an OperationOutcome naming the element (400)',
    async (_name, body, expression) => {
      const before = await head();
      const res = await postFhir(t.url, hub.credential, '/api/fhir/Observation', body);
      expect(res.status).toBe(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0]).toMatchObject({ severity: 'error', expression: [expression] });
      expect(res.body.issue[0].diagnostics).toContain(expression);
      expect(await head()).toBe(before);
    },
  );

  it('refuses a transaction whose entry has an identifier that is not a list, storing none of it', async () => {
    const before = await head();
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir',
      bundle('transaction', [
        observation('8867-4', 70, '/min'),
        observation('8867-4', 71, '/min', { identifier: { value: 'not-a-list' } }),
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body.issue[0].expression).toEqual(['Bundle.entry[1].resource.identifier']);
    expect(await head()).toBe(before);
  });

  it('audits a post with no device credential at all (a 401, device.auth denied)', async () => {
    const res = await http(t.url, 'POST', '/api/fhir/Observation', {
      rawBody: JSON.stringify(observation('8867-4', 70, '/min')),
      headers: { 'content-type': 'application/fhir+json', 'user-agent': 'no-credential-probe' },
    });
    expect(res.status).toBe(401);
    // The first denial of a kind is written at once (repeats are coalesced).
    for (let i = 0; i < 50; i++) {
      const rows: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM audit_events WHERE action = 'device.auth' AND outcome = 'denied'
            AND user_agent = 'no-credential-probe'`,
      );
      if (rows.length > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no device.auth denial audited');
  });

  it('answers an Encounter reference that is not a session id with a 404, not a 500', async () => {
    const before = await head();
    const res = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir/Observation',
      observation('8867-4', 70, '/min', { encounter: { reference: 'Encounter/visit-42' } }),
    );
    expect(res.status).toBe(404);
    expect(res.body.issue[0]).toMatchObject({ expression: ['Observation.encounter'] });
    expect(await head()).toBe(before);
  });

  it('refuses an Observation posted as a bundle, and a bundle of the wrong type', async () => {
    const asBundle = await postFhir(
      t.url,
      hub.credential,
      '/api/fhir',
      observation('8867-4', 70, '/min'),
    );
    expect(asBundle.status).toBe(400);
    expect(asBundle.body.issue[0].expression).toEqual(['Bundle.resourceType']);
    const collection = await postFhir(t.url, hub.credential, '/api/fhir', {
      ...bundle('batch', [observation('8867-4', 70, '/min')]),
      type: 'collection',
    });
    expect(collection.status).toBe(400);
    expect(collection.body.issue[0].expression).toEqual(['Bundle.type']);
  });

  it('refuses a 1 MB body cleanly (413 OperationOutcome) and bad JSON (400)', async () => {
    const big = JSON.stringify(
      bundle('batch', [
        { ...observation('8867-4', 70, '/min'), note: [{ text: 'x'.repeat(1024 * 1024) }] },
      ]),
    );
    const res = await postFhir(t.url, hub.credential, '/api/fhir', big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'too-long' }],
    });
    const nul = await postFhir(t.url, hub.credential, '/api/fhir/Observation', {
      ...observation('8867-4', 70, '/min'),
      note: [{ text: 'a\u0000b' }],
    });
    expect(nul.status).toBe(400);
    expect(nul.body.issue[0].expression).toEqual(['Observation.note[0].text']);
    const ahead = await postFhir(t.url, hub.credential, '/api/fhir/Observation', {
      ...observation('8867-4', 70, '/min'),
      effectiveDateTime: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    expect(ahead.status).toBe(400);
    expect(ahead.body.issue[0].expression).toEqual(['Observation.effectiveDateTime']);
    const broken = await postFhir(t.url, hub.credential, '/api/fhir', '{"resourceType":');
    expect(broken.status).toBe(400);
    expect(broken.body.resourceType).toBe('OperationOutcome');
    const text = await http(t.url, 'POST', '/api/fhir/Observation', {
      rawBody: 'hello',
      headers: { authorization: `Bearer ${hub.credential}`, 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body.resourceType).toBe('OperationOutcome');
  });
});
