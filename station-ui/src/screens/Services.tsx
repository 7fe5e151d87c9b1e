// The public-services screen lives in services/ (catalogue, forms, receipt, status), loaded when
// first opened so the kiosk's first screen stays light.
import { lazy } from 'solid-js';

export const Services = lazy(() => import('./services/Services.tsx').then((m) => ({ default: m.Services })));

/** "Tra cứu hồ sơ" by the receipt's QR, offered where the services screen waits for the card. */
export const ReceiptLookup = lazy(() => import('./services/ReceiptLookup.tsx').then((m) => ({ default: m.ReceiptLookup })));
