export * from './domain';
export * from './rest';
export * from './socket';
