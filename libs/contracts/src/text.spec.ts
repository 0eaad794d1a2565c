import { findUnstorableText, isStorableText } from './text';

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
    expect(findUnstorableText({ a: 'x', readings: [{ kind: 'ok' }, { note: 'a\u0000' }] })).toBe(
      'readings[1].note',
    );
    expect(findUnstorableText({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findUnstorableText('\ud800')).toBe('body');
    expect(findUnstorableText({ n: 1, b: true, z: null })).toBeNull();
  });
});
