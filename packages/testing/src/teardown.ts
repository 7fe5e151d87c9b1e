// node:test runs a test's `t.after` hooks in the order they were added, first added first. Teardown
// written beside each setup step then runs the wrong way round: the database was dropped (WITH
// FORCE, ending the hub's connections mid-transaction) under a hub still serving, and the browser
// closed before the last screenshot was taken. `deferrer(t)` runs what it is given last-added first,
// every step even when an earlier one threw, and fails the test with the first error.
import type { TestContext } from 'node:test';

export function deferrer(t: TestContext): (step: () => unknown) => void {
  const steps: (() => unknown)[] = [];
  t.after(async () => {
    let first: unknown;
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (e) {
        first ??= e;
      }
    }
    if (first !== undefined) throw first;
  });
  return (step) => {
    steps.push(step);
  };
}
