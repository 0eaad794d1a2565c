import {
  BAD_TEXT_MESSAGE,
  findUnstorable,
  isStorableText,
  MAX_JSON_DEPTH,
  TOO_DEEP_MESSAGE,
} from './text';

describe('storable text', () => {
  it.each([
    ['plain text', 'feeling fine', true],
    ['a paired surrogate (an emoji)', 'ok \ud83d\ude00', true],
    ['a NUL', 'a\u0000b', false],
    ['a lone high surrogate', 'a\ud83d', false],
    ['a lone low surrogate', '\ude00b', false],
    ['halves in the wrong order', '\ude00\ud83d', false],
  ])('%s: %s', (_label, value, ok) => {
    expect(isStorableText(value)).toBe(ok);
  });

  it('names the first bad field the way validation messages do', () => {
    const bad = { field: expect.any(String), message: BAD_TEXT_MESSAGE };
    expect(findUnstorable({ a: 'x', readings: [{ kind: 'ok' }, { note: 'a\u0000' }] })).toEqual({
      ...bad,
      field: 'readings[1].note',
    });
    expect(findUnstorable({ ['k\u0000']: 1 })).toEqual({ ...bad, field: 'k\u0000' });
    expect(findUnstorable('\ud800')).toEqual({ ...bad, field: 'body' });
    expect(findUnstorable({ n: 1, b: true, z: null })).toBeNull();
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels, without overflowing the stack on 100,000`, () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 'leaf';
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    expect(findUnstorable({ note: nest(MAX_JSON_DEPTH - 1) })).toBeNull();
    expect(findUnstorable({ note: nest(MAX_JSON_DEPTH) })).toEqual({
      field: `note${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`,
      message: TOO_DEEP_MESSAGE,
    });
    expect(findUnstorable(nest(100_000))?.message).toBe(TOO_DEEP_MESSAGE);
  });
});
