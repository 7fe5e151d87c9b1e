// Processes as Linux shows them in /proc: who started whom and how much CPU each used. For the
// test runner's watchdog and for the benches, which report where the machine's CPU went.
import { readdirSync, readFileSync } from 'node:fs';

/** /proc/<pid>/stat's fields after the command name (which may hold spaces and parentheses). */
const statFields = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

/** The pids under `pid`, children before their own children. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const ppid = Number(statFields(Number(d))[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (let todo = [pid]; todo.length; ) {
    const next = todo.flatMap((p) => children.get(p) ?? []);
    out.push(...next);
    todo = next;
  }
  return out;
}

export const parentOf = (pid: number) => Number(statFields(pid)[1]);

/** CPU time (user + system) a process has used so far, in ms: utime and stime, ticks of 10 ms. */
export function cpuMs(pid: number): number {
  const f = statFields(pid);
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU time of a process and everything under it that is still running, in ms. */
export function treeCpuMs(pid: number): number {
  return [pid, ...descendants(pid)].reduce((sum, p) => {
    try {
      return sum + cpuMs(p);
    } catch {
      return sum; // exited meanwhile
    }
  }, 0);
}

/** CPU time the whole machine has spent busy (every core, not idle or waiting on I/O), in ms. */
export function machineBusyMs(): number {
  const n = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - n[3]! - n[4]!) * 10;
}

/**
 * Starts counting CPU: each named process tree's, this process's own (`bench`) and the whole
 * machine's busy time; `read()` gives what each used since, in ms.
 */
export function cpuMeter(trees: Record<string, number>): { read(): Record<string, number> } {
  const t0 = Object.fromEntries(Object.entries(trees).map(([name, pid]) => [name, treeCpuMs(pid)]));
  const self0 = process.cpuUsage();
  const machine0 = machineBusyMs();
  return {
    read() {
      const self = process.cpuUsage(self0);
      return {
        ...Object.fromEntries(Object.entries(trees).map(([name, pid]) => [name, treeCpuMs(pid) - t0[name]!])),
        bench: Math.round((self.user + self.system) / 1000),
        machine_busy: machineBusyMs() - machine0,
      };
    },
  };
}
