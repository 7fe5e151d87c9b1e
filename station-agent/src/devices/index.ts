/** Booth device decoders: one module per serial protocol (see each file's header for the source document). */
export * from './common.ts';
export * from './mt-sics.ts';
export * from './and-standard.ts';
export * from './cms50d.ts';
export * from './nibp2010.ts';
export * from './a02yyuw.ts';
export * from './gy-mcu90614.ts';
