import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakGlassRequest } from './break-glass-body.ts';
import { SearchError } from './search.ts';

const id = '6f1c2a34-1b2c-4d5e-8f90-123456789abc';
const reason = 'Cấp cứu tại trạm, bác sĩ phụ trách vắng';

test('Parameters or plain JSON, a patient reference or a CCCD number, and a reason of at least 10 characters', () => {
  assert.deepEqual(
    breakGlassRequest({
      resourceType: 'Parameters',
      parameter: [
        { name: 'patient', valueReference: { reference: `Patient/${id.toUpperCase()}` } },
        { name: 'reason', valueString: `  ${reason} ` },
      ],
    }),
    { patient: id, reason },
  );
  assert.deepEqual(breakGlassRequest({ identifier: '079160001234', reason }), { identifier: '079160001234', reason });
  for (const bad of [
    { patient: id, reason: 'short' },
    { patient: id },
    { patient: 'not-an-id', reason },
    { identifier: '1234', reason },
    { patient: id, identifier: '079160001234', reason },
    { reason },
    null,
  ])
    assert.throws(() => breakGlassRequest(bad), SearchError, JSON.stringify(bad));
});
