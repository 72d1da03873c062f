// The workflow bundle's entry: every workflow type the worker runs.
export * from './echo.js';
export * from './subsidy-case.js';
export * from './brand-engagement.js';
export * from './design-event.js';
export * from './design-dispatch.js';
