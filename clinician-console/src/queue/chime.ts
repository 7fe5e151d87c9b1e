// A short two-tone chime for urgent consults, made with WebAudio (no asset to load).
let ctx: AudioContext | undefined;

export function chime() {
  try {
    ctx ??= new AudioContext();
    void ctx.resume();
    const t = ctx.currentTime;
    for (const [i, f] of [988, 1319].entries()) {
      const osc = ctx.createOscillator(),
        gain = ctx.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.25, t + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.001, t + i * 0.25 + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.25);
      osc.stop(t + i * 0.25 + 0.23);
    }
    // counted so a test can tell the chime was started
    (window as unknown as { __chimes?: number }).__chimes = ((window as unknown as { __chimes?: number }).__chimes ?? 0) + 1;
  } catch {
    /* no audio device: the red highlight still shows */
  }
}
