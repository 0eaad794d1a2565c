export * from './backoff';
export * from './memory-store';
export * from './outbox';
export * from './outbox-transport';
export * from './outbox-types';
