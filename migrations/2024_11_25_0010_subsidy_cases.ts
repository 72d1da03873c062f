import type { Kysely } from 'kysely';

// Program A tables: cases, expenses, documents, filings, cap ledger, status reports.
export async function up(_db: Kysely<any>): Promise<void> {}
export async function down(_db: Kysely<any>): Promise<void> {}
