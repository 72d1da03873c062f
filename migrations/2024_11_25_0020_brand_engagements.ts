import type { Kysely } from 'kysely';

// Program B tables: engagements, sessions, action plans.
export async function up(_db: Kysely<any>): Promise<void> {}
export async function down(_db: Kysely<any>): Promise<void> {}
