import { TextDecoder, TextEncoder } from 'node:util';

/**
 * jsdom lacks TextEncoder, which react-router reads at import time. Import this first in a spec
 * that renders routes (it could move to test/setup.ts for every spec).
 */
Object.assign(globalThis, { TextEncoder, TextDecoder });
