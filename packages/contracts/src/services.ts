// Request bodies of public services and payments, and each service's form as a zod schema built
// from its declaration in services-catalogue.ts (one source: the kiosk shows the same fields the
// hub checks).
import { z } from 'zod';
import { serviceByCode, type FieldSpec, type ServiceDeclaration } from './services-catalogue.ts';

const DATE = /^(0[1-9]|[12]\d|3[01])\/(0[1-9]|1[0-2])\/(19|20)\d{2}$/;

function fieldSchema(f: FieldSpec): z.ZodType {
  switch (f.kind) {
    case 'idNumber':
      return z
        .string()
        .trim()
        .regex(/^\d{12}$/, 'Số định danh gồm 12 chữ số / The ID number is 12 digits');
    case 'date':
      return z.string().trim().regex(DATE, 'Ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2024 / A date as dd/mm/yyyy');
    case 'phone':
      return z
        .string()
        .trim()
        .regex(/^0\d{9}$/, 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 / A phone number is 10 digits starting with 0');
    case 'select':
      return z.enum((f.options ?? []).map((o) => o.value) as [string, ...string[]], {
        error: 'Hãy chọn một mục trong danh sách / Choose one of the options',
      });
    case 'number':
      return z.coerce
        .number({ error: 'Hãy nhập một số / Enter a number' })
        .int('Hãy nhập số nguyên / Enter a whole number')
        .min(f.min ?? 0, `Nhỏ nhất là ${f.min ?? 0} / At least ${f.min ?? 0}`)
        .max(f.max ?? 1e9, `Lớn nhất là ${f.max ?? 1e9} / At most ${f.max ?? 1e9}`);
    case 'members':
      return z
        .array(
          z.strictObject({
            fullName: z.string().trim().min(1, 'Hãy nhập họ tên / Enter the name').max(100),
            idNumber: z
              .string()
              .trim()
              .regex(/^\d{12}$/, 'Số định danh gồm 12 chữ số / The ID number is 12 digits'),
            relationship: z.string().trim().min(1).max(40),
          }),
        )
        .max(10, 'Tối đa 10 người / At most 10 people');
    default:
      return z
        .string()
        .trim()
        .min(1, 'Hãy điền mục này / Please fill this in')
        .max(f.maxLength ?? 200, `Tối đa ${f.maxLength ?? 200} ký tự / At most ${f.maxLength ?? 200} characters`);
  }
}

/** The form of a service as a zod object (unknown fields refused). */
export function formSchema(s: ServiceDeclaration) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of s.fields) {
    const base = fieldSchema(f);
    const stringy = f.kind !== 'members' && f.kind !== 'number';
    if (f.required) shape[f.name] = stringy ? z.preprocess((v) => v ?? '', base) : base;
    else shape[f.name] = stringy ? z.union([z.literal(''), base]).optional() : base.optional();
  }
  return z.strictObject(shape);
}

let schemas: Map<string, ReturnType<typeof formSchema>> | undefined;
/** The form schema of a service by code, built once (lazily: the kiosk bundle never builds them). */
export function formSchemaOf(code: string): ReturnType<typeof formSchema> | undefined {
  schemas ??= new Map();
  const svc = serviceByCode(code);
  if (!svc) return undefined;
  const f = schemas.get(code) ?? formSchema(svc);
  schemas.set(code, f);
  return f;
}

/** A camera photo: a JPEG, base64, up to 180 KB decoded (the hub's request limit is 256 KiB). */
export const attachmentBody = z.strictObject({
  document: z.string().regex(/^[a-z_]{2,40}$/),
  contentType: z.literal('image/jpeg', { error: 'Chỉ nhận ảnh JPEG / Only JPEG photos' }),
  data: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .max(240_000, 'Ảnh quá lớn (tối đa 180 KB) / The photo is too large (180 KB at most)'),
});

export const submitServiceBody = z.strictObject({
  service: z
    .string()
    .refine((code) => !!serviceByCode(code) && serviceByCode(code)!.delivery !== 'payment', 'Không có dịch vụ này / No such service'),
  fields: z.record(z.string(), z.unknown()),
  attachments: z.array(attachmentBody).max(3).default([]),
});
export type SubmitServiceBody = z.input<typeof submitServiceBody>;

export const resubmitBody = z.strictObject({
  fields: z.record(z.string(), z.unknown()),
  attachments: z.array(attachmentBody).max(3).default([]),
});

export const decisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve') }),
  z.strictObject({ decision: z.literal('return'), reason: z.string().trim().min(3, 'Hãy ghi lý do / Give a reason').max(500) }),
  z.strictObject({ decision: z.literal('done'), reference: z.string().trim().min(1, 'Hãy ghi số văn bản / Give the reference').max(80) }),
]);
export type DecisionBody = z.input<typeof decisionBody>;

export const receiptParam = z.strictObject({ receipt: z.string().regex(/^[A-Z0-9-]{6,24}$/) });

// --- payments ---

export const feeEntryBody = z.strictObject({
  building: z.string().trim().min(1).max(60),
  apartment: z.string().trim().min(1).max(20),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM'),
  amountVnd: z.number().int().positive().max(1_000_000_000),
  residentIdNumber: z.string().regex(/^\d{12}$/, 'The ID number is 12 digits'),
});
export type FeeEntryBody = z.input<typeof feeEntryBody>;

export const billLookupBody = z.strictObject({
  provider: z.enum(['electricity', 'water', 'traffic_fine', 'health_insurance']),
  customerCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]{3,20}$/, 'Mã gồm chữ và số, 3–20 ký tự / 3-20 letters and digits'),
});
export type BillLookupBody = z.input<typeof billLookupBody>;

export const payBody = z.strictObject({ payable: z.string().min(1).max(80) });

/**
 * A payOS payment notification (webhook): `signature` is HMAC-SHA256 with the checksum key over
 * the `data` object's keys sorted, as `key=value&key=value`.
 */
export const payosWebhookBody = z.object({
  code: z.string(),
  desc: z.string(),
  success: z.boolean().optional(),
  data: z
    .object({
      orderCode: z.number(),
      amount: z.number(),
      description: z.string(),
      accountNumber: z.string(),
      reference: z.string().min(1),
      transactionDateTime: z.string(),
      currency: z.string(),
      paymentLinkId: z.string(),
      code: z.string(),
      desc: z.string(),
    })
    .catchall(z.unknown()),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PayosWebhook = z.infer<typeof payosWebhookBody>;
