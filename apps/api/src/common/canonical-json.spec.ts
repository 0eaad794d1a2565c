import { bodyHash, canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('orders keys so that equal bodies written in another order hash the same', () => {
    expect(bodyHash({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(
      bodyHash({ a: { c: 'x', d: [1, 2] }, b: 1 }),
    );
  });

  it('keeps array order significant', () => {
    expect(bodyHash({ a: [1, 2] })).not.toBe(bodyHash({ a: [2, 1] }));
  });

  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});
