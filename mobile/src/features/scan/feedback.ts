/** A short sound (WebAudio) and a vibration for each result, so staff need not look at the screen. */

let audio: AudioContext | null = null;

/** Call from a user gesture (sign in, start scanning) so the browser lets the app play sound later. */
export function unlockAudio() {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

function tone(ctx: AudioContext, freq: number, start: number, length: number) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = "sine";
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.3, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  osc.connect(gain).connect(ctx.destination);
  osc.start(start);
  osc.stop(start + length + 0.02);
}

export type Feel = "good" | "warn" | "bad";

export function feedback(feel: Feel) {
  try {
    navigator.vibrate?.(feel === "good" ? 80 : feel === "warn" ? [150, 80, 150] : [300, 100, 300]);
  } catch {
    // no vibration here
  }
  try {
    const ctx = audio;
    if (!ctx || ctx.state !== "running") return;
    const t = ctx.currentTime;
    if (feel === "good") {
      tone(ctx, 880, t, 0.12);
      tone(ctx, 1320, t + 0.13, 0.12);
    } else if (feel === "warn") {
      tone(ctx, 440, t, 0.18);
      tone(ctx, 440, t + 0.25, 0.18);
    } else {
      tone(ctx, 220, t, 0.4);
    }
  } catch {
    // no sound here
  }
}
