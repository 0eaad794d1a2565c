import { csvCell } from './rems-csv';

describe('csvCell', () => {
  it.each([
    [null, ''],
    [130, '130'],
    [true, 'true'],
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1 555', "'+1 555"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('writes %p as %p, defusing formula-like text', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
