import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LockScreen } from './LockScreen';
import { IDLE_LOCK_MS, useIdleLock } from './useIdleLock';

describe('idle lock', () => {
  beforeEach(() => {
    localStorage.clear();
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('locks after 15 minutes without activity, not before, and stays locked across a reload', () => {
    const { result, unmount } = renderHook(() => useIdleLock());
    act(() => jest.advanceTimersByTime(IDLE_LOCK_MS - 10_000));
    window.dispatchEvent(new KeyboardEvent('keydown'));
    act(() => jest.advanceTimersByTime(IDLE_LOCK_MS - 10_000));
    expect(result.current.locked).toBe(false);
    act(() => jest.advanceTimersByTime(15_000));
    expect(result.current.locked).toBe(true);
    unmount();
    expect(renderHook(() => useIdleLock()).result.current.locked).toBe(true);
  });
});

describe('LockScreen', () => {
  const counts = {
    total: 2,
    unacknowledged: 1,
    byPriority: { high: 1, medium: 1, low: 0, info: 0 },
  };

  it('shows that alerts are open, by priority, without naming any patient', () => {
    render(<LockScreen counts={counts} userName="Dr C" email="c@x" onUnlock={jest.fn()} />);
    expect(screen.getByTestId('lock-alerts')).toHaveTextContent('2 open alerts, 1 unacknowledged');
    expect(screen.getByTestId('lock-alerts')).toHaveTextContent('▲High ×1◆Medium ×1');
    expect(screen.queryByLabelText('Email')).toBeNull();
  });

  it('unlocks with the password and shows a wrong password', async () => {
    const onUnlock = jest
      .fn()
      .mockRejectedValueOnce(new Error('The password is incorrect.'))
      .mockResolvedValueOnce(undefined);
    render(<LockScreen counts={counts} userName="Dr C" email="c@x" onUnlock={onUnlock} />);
    await userEvent.type(screen.getByLabelText('Password'), 'nope{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('incorrect');
    await userEvent.type(screen.getByLabelText('Password'), 'vigil-demo{Enter}');
    expect(onUnlock).toHaveBeenLastCalledWith('c@x', 'vigil-demo');
  });
});
