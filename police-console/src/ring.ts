// A ringing tone made with WebAudio (no asset to load); plays while any call is ringing.
let ctx: AudioContext | undefined;
let timer: ReturnType<typeof setInterval> | undefined;

function beep() {
  ctx ??= new AudioContext();
  const osc = ctx.createOscillator(),
    gain = ctx.createGain();
  osc.frequency.value = 880;
  gain.gain.value = 0.2;
  osc.connect(gain).connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.4);
}

export function setRinging(on: boolean) {
  if (on && !timer) {
    beep();
    timer = setInterval(beep, 1200);
  }
  if (!on && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}
