// The bill-payment screen lives in services/ (apartment fees, bill lookup, VietQR), loaded when
// first opened.
import { lazy } from 'solid-js';

export const Bills = lazy(() => import('./services/Bills.tsx').then((m) => ({ default: m.Bills })));
