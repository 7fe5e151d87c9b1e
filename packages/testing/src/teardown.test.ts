import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { deferrer } from './teardown.ts';

test('steps run last-added first; a throwing step does not stop the others, and its error is the hook’s', async () => {
  let hook: (() => Promise<void>) | undefined;
  const t = { after: (fn: () => Promise<void>) => (hook = fn) } as unknown as TestContext;
  const ran: string[] = [];
  const defer = deferrer(t);
  defer(() => ran.push('database dropped'));
  defer(async () => {
    ran.push('hub stopped');
    throw new Error('stop failed');
  });
  defer(() => ran.push('browser closed'));
  defer(() => ran.push('screenshot'));
  await assert.rejects(hook!(), /stop failed/);
  assert.deepEqual(ran, ['screenshot', 'browser closed', 'hub stopped', 'database dropped']);
});
