export * from './domain';
export * from './rest';
export * from './socket';
export * from './schemas';
export * from './admin';
export * from './session-flow';
export * from './supervisor';
export * from './supervisor-queries';
