// What crosses an app boundary (hub ↔ station agent ↔ kiosk ↔ consoles), defined once.
export * from './api.ts';
export * from './call-order.ts';
export * from './card.ts';
export * from './events.ts';
export * from './identity.ts';
export * from './vitals.ts';
export * from './wire.ts';
export * from './agent-api.ts';
export * from './followup.ts';
export * from './fleet.ts';
export * from './selftest.ts';
export * from './services.ts';
export * from './services-catalogue.ts';
export * from './services-print.ts';
export * from './services-topics.ts';
