/**
 * Import cycles (issue 14): `npm run check:cycles` (part of `npm run lint`) fails on any cycle
 * between files, and on any cycle between folders, across apps/ and libs/.
 * Type-only imports count (tsPreCompilationDeps): a cycle of types is still a loop in the design.
 */
export default {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment: 'a file reaches itself through its imports',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'a folder imports a folder that imports it back (directly or through others)',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
