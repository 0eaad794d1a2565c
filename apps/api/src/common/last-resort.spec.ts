import { installLastResortHandlers, unhandledRejectionCount } from './last-resort';

describe('last-resort handler', () => {
  it('logs an unhandled rejection with its stack and keeps the process alive', async () => {
    const logged: string[] = [];
    const uninstall = installLastResortHandlers({ error: (m) => logged.push(m) });
    const before = unhandledRejectionCount();
    // What Node does with a rejection nobody handled (jest would claim a real one itself).
    process.emit('unhandledRejection', new Error('redis publish failed'), Promise.resolve());
    await new Promise((r) => setTimeout(r, 5));
    uninstall();
    expect(unhandledRejectionCount()).toBe(before + 1);
    expect(logged).toEqual(['unhandled promise rejection (kept serving): redis publish failed']);
  });
});
