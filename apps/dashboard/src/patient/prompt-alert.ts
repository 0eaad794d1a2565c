/**
 * A gentle three-note chime and a vibration for a due check-in. Browsers allow both only after
 * the person has touched the page, and a locked phone may delay them: the on-screen banner is
 * the prompt that always shows, these only draw attention to it.
 */
let audio: AudioContext | null = null;

export function promptAttention(): void {
  try {
    globalThis.navigator?.vibrate?.([300, 150, 300]);
  } catch {
    // vibration not allowed here
  }
  try {
    const Ctx = globalThis.AudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    void audio.resume();
    const start = audio.currentTime;
    [523.25, 659.25, 783.99].forEach((freq, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.35 + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.6);
      osc.connect(gain).connect(audio!.destination);
      osc.start(start + i * 0.35);
      osc.stop(start + i * 0.35 + 0.65);
    });
  } catch {
    // no sound: the banner still shows
  }
}
