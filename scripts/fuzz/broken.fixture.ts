// Deliberately broken targets: the fuzz harness's own test checks it catches a crash, a slow
// input and an input that never returns.
import fc from 'fast-check';
import type { Target } from './targets.ts';

export function targets(): Target[] {
  return [
    {
      name: 'crashes-on-a-zero-byte',
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      run: (b) => {
        if ((b as Uint8Array).includes(0)) throw new TypeError('unexpected zero');
      },
    },
    { name: 'fine', arbitrary: fc.uint8Array(), run: () => {} },
    {
      name: 'never-returns-on-ff',
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }),
      run: (b) => {
        while ((b as Uint8Array).includes(0xff)) {
          /* stuck */
        }
      },
    },
    { name: 'after-a-hang', arbitrary: fc.nat(), run: () => {} },
  ];
}
