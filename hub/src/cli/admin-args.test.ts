import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAdminArgs, passwordProblem } from './admin-args.ts';

test('create-admin takes a username and an optional display name', () => {
  assert.deepEqual(parseAdminArgs(['create-admin', 'alice']), {
    command: 'create-staff',
    username: 'alice',
    displayName: 'alice',
    role: 'admin',
    wards: [],
  });
  assert.deepEqual(parseAdminArgs(['create-admin', 'alice', '--display-name', 'Alice N.']), {
    command: 'create-staff',
    username: 'alice',
    displayName: 'Alice N.',
    role: 'admin',
    wards: [],
  });
});

test('create-staff needs a non-admin role and takes wards; add-ward needs its three names', () => {
  assert.deepEqual(parseAdminArgs(['create-staff', 'canbo.an', '--role', 'police', '--ward', 'W1', '--ward', 'W2']), {
    command: 'create-staff',
    username: 'canbo.an',
    displayName: 'canbo.an',
    role: 'police',
    wards: ['W1', 'W2'],
  });
  assert.ok('error' in parseAdminArgs(['create-staff', 'canbo.an']));
  assert.ok('error' in parseAdminArgs(['create-staff', 'canbo.an', '--role', 'root']));
  assert.ok('error' in parseAdminArgs(['create-staff', 'canbo.an', '--role', 'admin']), 'admins come from create-admin');
  assert.deepEqual(parseAdminArgs(['add-ward', 'HCM-X', '--name', 'Phường X', '--city', 'TP. HCM', '--neighbour', 'HCM-Y']), {
    command: 'add-ward',
    code: 'HCM-X',
    name: 'Phường X',
    city: 'TP. HCM',
    neighbours: ['HCM-Y'],
  });
  assert.ok('error' in parseAdminArgs(['add-ward', 'HCM-X', '--name', 'Phường X']));
  // no district any more (two-level government)
  assert.ok('error' in parseAdminArgs(['add-ward', 'HCM-X', '--name', 'Phường X', '--district', 'Quận 1', '--city', 'TP. HCM']));
  assert.deepEqual(parseAdminArgs(['set-neighbours', 'HCM-X', '--neighbour', 'HCM-Y', '--neighbour', 'HCM-Z']), {
    command: 'set-neighbours',
    code: 'HCM-X',
    neighbours: ['HCM-Y', 'HCM-Z'],
  });
  assert.ok('error' in parseAdminArgs(['set-neighbours', 'HCM-X']));
  assert.ok('error' in parseAdminArgs(['set-neighbours', 'HCM-X', '--neighbour', 'HCM-X']));
});

test('a password on the command line is refused, in any spelling, and never echoed', () => {
  for (const argv of [
    ['create-admin', 'alice', '--password', 'hunter2hunter2'],
    ['create-admin', 'alice', '--password=hunter2hunter2'],
    ['create-admin', 'alice', '-p', 'hunter2hunter2'],
    ['create-admin', 'alice', 'hunter2hunter2'],
    ['create-staff', 'canbo.an', '--role', 'police', 'hunter2hunter2'],
  ]) {
    const r = parseAdminArgs(argv);
    assert.ok('error' in r, argv.join(' '));
    assert.match(r.error, /never taken on the command line/);
    assert.doesNotMatch(r.error, /hunter2/);
  }
});

test('bad commands and usernames are refused', () => {
  assert.ok('error' in parseAdminArgs([]));
  assert.ok('error' in parseAdminArgs(['drop-everything']));
  assert.ok('error' in parseAdminArgs(['create-admin']));
  assert.ok('error' in parseAdminArgs(['create-admin', 'a b']));
});

test('passwords shorter than 12 characters are refused', () => {
  assert.match(passwordProblem('')!, /nothing was read/);
  assert.ok(passwordProblem('short-pass1'));
  assert.equal(passwordProblem('a-long-enough-one'), undefined);
});
