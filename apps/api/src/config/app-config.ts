import type { AppConfig } from './config.schema';

/** Injection token for the validated configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export type { AppConfig };

/** Injection token for the database URL the app runs on (resolved at boot: embedded or given). */
export const DATABASE_URL = Symbol('DATABASE_URL');
