/** The JWT secret of test instances (its own file: process starters need no Nest imports). */
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
