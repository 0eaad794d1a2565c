import { AlarmSound, PATTERNS } from './alarm-sound';

/** Just enough Web Audio to count the pulses the alarm plays. */
function fakeAudio() {
  const started: number[] = [];
  const node = () => ({
    connect: (next: unknown) => next,
    gain: { setValueAtTime: jest.fn(), linearRampToValueAtTime: jest.fn() },
    frequency: { value: 0 },
    type: 'square',
    start: (t: number) => started.push(t),
    stop: jest.fn(),
  });
  class FakeContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    createOscillator = node;
    createGain = node;
    resume = () => Promise.resolve();
  }
  return { Ctor: FakeContext as unknown as new () => AudioContext, started };
}

describe('AlarmSound', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('plays a burst when the level starts and repeats it, and a retrigger plays one at once', () => {
    const { Ctor, started } = fakeAudio();
    const sound = new AlarmSound(Ctor);
    const pulses = PATTERNS.high.pulses.length;
    sound.setLevel('high');
    expect(started).toHaveLength(pulses);
    jest.advanceTimersByTime(PATTERNS.high.repeatMs);
    expect(started).toHaveLength(2 * pulses);
    // A reopened alert while already sounding "high": heard now, and the cycle restarts.
    jest.advanceTimersByTime(1_000);
    sound.retrigger();
    expect(started).toHaveLength(3 * pulses);
    jest.advanceTimersByTime(PATTERNS.high.repeatMs - 1);
    expect(started).toHaveLength(3 * pulses);
    jest.advanceTimersByTime(1);
    expect(started).toHaveLength(4 * pulses);
    sound.stop();
    jest.advanceTimersByTime(60_000);
    expect(started).toHaveLength(4 * pulses);
  });

  it('does nothing on a retrigger while silent', () => {
    const { Ctor, started } = fakeAudio();
    const sound = new AlarmSound(Ctor);
    sound.retrigger();
    expect(started).toHaveLength(0);
  });
});
