// Logging for conditions that persist (no pcscd, a device that keeps failing, a full disk): a
// retry loop must not print the same line every round. A message is printed when it differs from
// the last one printed for its topic; clear() ends the condition (optionally saying so).
export class ChangeLog {
  private readonly last = new Map<string, string>();

  constructor(private readonly log: (msg: string) => void) {}

  /** Prints `msg` unless it is what was last printed for `topic`; returns whether it printed. */
  say(topic: string, msg: string): boolean {
    if (this.last.get(topic) === msg) return false;
    this.last.set(topic, msg);
    this.log(msg);
    return true;
  }

  /** The condition is over: the next say() prints again, and `msg` is printed if anything was said. */
  clear(topic: string, msg?: string): void {
    if (this.last.delete(topic) && msg !== undefined) this.log(msg);
  }
}
