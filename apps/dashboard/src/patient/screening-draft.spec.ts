import { buildScreening, emptyScreening, type ScreeningDraft } from './screening-draft';

const complete = (over: Partial<ScreeningDraft> = {}): ScreeningDraft => ({
  ...emptyScreening(false),
  sbp: '128',
  dbp: '82',
  hr: '74',
  spo2: '97',
  supportAdult: true,
  supportPresent: true,
  supportName: ' Alex ',
  supportPhone: '+44 7700 900123',
  fasting: true,
  recentSubstances: false,
  bpMeds: false,
  moaasBaseline: 5,
  ...over,
});

describe('buildScreening', () => {
  it('turns the answers into the contract body, asking "any substances?" the plain way round', () => {
    expect(buildScreening(complete())).toEqual({
      ok: true,
      body: {
        sbp: 128,
        dbp: 82,
        hr: 74,
        spo2: 97,
        supportPerson: {
          adult: true,
          presentWholeSession: true,
          name: 'Alex',
          phone: '+44 7700 900123',
        },
        fasting: true,
        noRecentSubstances: true,
        concomitantBpRaisingMeds: false,
        moaasBaseline: 5,
      },
    });
    const used = buildScreening(complete({ recentSubstances: true }));
    expect(used.ok && used.body.noRecentSubstances).toBe(false);
  });

  it('names every missing answer the gate needs, so an offline screening never comes back incomplete', () => {
    const result = buildScreening(emptyScreening(true));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toEqual(
      expect.arrayContaining([
        'sbp',
        'dbp',
        'hr',
        // CLINICAL.md v2: SpO2 is required (pulse oximeter at every session).
        'spo2',
        'supportAdult',
        'supportPresent',
        'supportName',
        'supportPhone',
        'fasting',
        'recentSubstances',
        'moaasBaseline',
        'phq9.0',
        'phq9.8',
        'gad7.6',
      ]),
    );
    expect(result.errors).not.toHaveProperty('bpMeds');
  });

  it('refuses an implausible reading with the range from the shared schema', () => {
    const result = buildScreening(complete({ sbp: '400' }));
    expect(result).toEqual({ ok: false, errors: { sbp: 'Check this: it must be at most 300.' } });
  });

  it('sends PHQ-9 and GAD-7 only when they were asked, all items in order', () => {
    const result = buildScreening(
      complete({
        withQuestionnaires: true,
        phq9: [0, 1, 2, 3, 0, 1, 2, 3, 1],
        gad7: [0, 0, 1, 1, 2, 2, 3],
      }),
    );
    expect(result.ok && result.body.phq9).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 1]);
    expect(result.ok && result.body.gad7).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(buildScreening(complete())).toMatchObject({
      ok: true,
      body: expect.not.objectContaining({ phq9: expect.anything() }),
    });
  });
});
