import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKioskHubRoute } from './agent-api.ts';

const id = '0b7c3a52-8f7e-4c36-9d5b-2f0f4e6a1c11';

test('the relay lets through exactly the hub calls the kiosk page makes', () => {
  for (const [method, path] of [
    ['POST', `/api/calls/${id}/end`],
    ['POST', `/api/calls/${id}/media`],
    ['POST', `/api/calls/${id}/pickup`],
    ['POST', `/api/calls/${id}/decline`],
    ['POST', `/api/calls/${id}/silent`],
    ['GET', `/api/calls/${id}/chat`],
    ['POST', `/api/calls/${id}/chat`],
    ['GET', '/api/consults/availability'],
    ['GET', '/api/consults/current'],
    ['POST', '/api/consults'],
    ['POST', `/api/consults/${id}/cancel`],
    ['POST', `/api/consults/${id}/media`],
    ['POST', '/api/services/submissions'],
    ['POST', `/api/services/submissions/${id}/resubmit`],
    ['GET', '/api/services/mine'],
    ['POST', '/api/payments'],
    ['GET', `/api/payments/${id}`],
  ] as const)
    assert.equal(isKioskHubRoute(method, path), true, `${method} ${path}`);
});

test('anything else is refused: other methods, other ids, other routes', () => {
  for (const [method, path] of [
    ['GET', `/api/calls/${id}/end`], // right path, wrong method
    ['POST', '/api/calls/not-a-uuid/end'],
    ['POST', `/api/calls/${id}/end/`],
    ['GET', '/api/calls'], // the call list is for responders
    ['POST', `/api/calls/${id}/callback`], // an officer's action
    ['POST', `/api/calls/${id}/responders`],
    ['POST', `/api/consults/${id}/accept`], // a clinician's action
    ['POST', '/api/admin/stations'],
    ['GET', '/api/services/queue'], // an officer's
    ['POST', '/api/payments/payos/webhook'], // the aggregator's
    ['POST', '/api/payments/ledger'], // a building manager's
    ['GET', '/api/consults/availability?x=1'], // the relay matches the path, not the query
  ] as const)
    assert.equal(isKioskHubRoute(method, path), false, `${method} ${path}`);
});
