// The per-applicant cap ledger (Program A). Filled in by the subsidy-case work.
import type { DbOrTrx } from '../database.js';

export interface CapUsage {
  programYearId: string;
  procedure: string;
  capJpy: number;
  reservedJpy: number;
  settledJpy: number;
  remainingJpy: number;
}

export async function capUsageOf(_db: DbOrTrx, _applicantId: string): Promise<CapUsage[]> {
  return [];
}
