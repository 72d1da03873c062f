import type { DbOrTrx } from '../database.js';
import { completeRules, type ProgramYear, type ProgramYearRules } from '../../domain/program-year.js';

type YearOf<P extends ProgramYearRules['program']> = Extract<ProgramYearRules, { program: P }> & { id: string };
import { notFound, unknownReference } from '../../domain/errors.js';

export async function findProgramYear(db: DbOrTrx, id: string): Promise<ProgramYear | undefined> {
  const row = await db.selectFrom('program_years').select(['id', 'rules']).where('id', '=', id).executeTakeFirst();
  // A year stored before v1.1 reads with the FY2024 values of its new fields.
  return row ? completeRules({ ...row.rules, id: row.id }) : undefined;
}

/** The program year a body names, of the program it must be (422 unknown_program_year otherwise). */
export async function referencedProgramYear<P extends ProgramYearRules['program']>(db: DbOrTrx, id: string, program: P, path = 'body/programYearId'): Promise<YearOf<P>> {
  const year = await findProgramYear(db, id);
  if (!year || year.program !== program) throw unknownReference('program_year', id, path, `must name a ${program} program year`);
  return year as YearOf<P>;
}

export async function getProgramYear(db: DbOrTrx, id: string): Promise<ProgramYear> {
  const year = await findProgramYear(db, id);
  if (!year) throw notFound('Program year', id);
  return year;
}

export async function listProgramYears(db: DbOrTrx): Promise<ProgramYear[]> {
  const rows = await db.selectFrom('program_years').select(['id', 'rules']).orderBy('fiscal_year', 'desc').orderBy('id').execute();
  return rows.map((r) => completeRules({ ...r.rules, id: r.id }));
}

/** Insert or replace; tells whether the year was new. Locks the row so concurrent PUTs serialise. */
export async function upsertProgramYear(db: DbOrTrx, id: string, rules: ProgramYearRules, now: Date): Promise<{ created: boolean; previous: ProgramYearRules | null }> {
  const existing = await db.selectFrom('program_years').select(['rules']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (existing) {
    await db.updateTable('program_years').set((eb) => ({ rules: JSON.stringify(rules), program: rules.program, fiscal_year: rules.fiscalYear, revision: eb('revision', '+', 1), updated_at: now }))
      .where('id', '=', id).execute();
    return { created: false, previous: existing.rules };
  }
  // A new year has no running cases to tell.
  await db.insertInto('program_years').values({ id, program: rules.program, fiscal_year: rules.fiscalYear, rules: JSON.stringify(rules), announced_revision: 1, created_at: now, updated_at: now }).execute();
  return { created: true, previous: null };
}
