// The benches' command line, `--name value` and bare `--flag`, as { name: value }: a bare flag is
// present with the next word or undefined (`'idle' in args`), so a script reads its own defaults.
export const benchArgs = (argv = process.argv.slice(2)) =>
  Object.fromEntries(
    argv.reduce(
      (acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc),
      [],
    ),
  );
