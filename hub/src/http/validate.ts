// zod validation for every route input, with a clear 400 that lists what is wrong.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { errorJson } from './errors.ts';

export const valid = <T extends ZodType, K extends keyof ValidationTargets>(target: K, schema: T) =>
  zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || target, message: i.message }));
      return errorJson(c, 400, 'invalid_request', `Invalid ${target}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
  });
