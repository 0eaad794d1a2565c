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

  it('gives the exact text every stored audit hash was made from', () => {
    // Keys in UTF-16 order (upper case before lower, "é" after "z"), undefined members dropped
    // wherever they are, undefined in an array as null, strings escaped as JSON does.
    const body = {
      z: 'last "quoted"\n',
      é: 1,
      a: undefined,
      B: [undefined, null, true, { y: 2.5, x: [], w: {} }],
      b: { k: undefined, j: -0, i: 'ü' },
    };
    expect(canonicalJson(body)).toBe(
      '{"B":[null,null,true,{"w":{},"x":[],"y":2.5}],"b":{"i":"ü","j":0},"z":"last \\"quoted\\"\\n","é":1}',
    );
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson('text')).toBe('"text"');
  });
});
