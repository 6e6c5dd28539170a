import { randomBytes } from 'node:crypto';

/** Opaque random ids with a readable type prefix: `job_3kq…`. */
export const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;
export const nowIso = (): string => new Date().toISOString();
