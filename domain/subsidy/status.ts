// The life of one subsidy case (api.md → Subsidy cases) and which command each status allows.
import { statusTable } from '../state-machine.js';

export const CASE_STATUSES = ['under_review', 'approved', 'rejected', 'reported', 'withdrawn', 'lapsed',
  'determined', 'disbursed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Statuses after which nothing more happens: the case's workflow has ended. */
export const FINAL_STATUSES: readonly CaseStatus[] = ['rejected', 'withdrawn', 'lapsed', 'closed'];
/** Ended without support: such a case counts toward no limit of its applicant's year. */
export const UNSUPPORTED_STATUSES: readonly CaseStatus[] = ['rejected', 'withdrawn', 'lapsed'];

export const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  under_review: ['approved', 'rejected', 'withdrawn'],
  approved: ['reported', 'withdrawn', 'lapsed'],
  reported: ['determined'],
  determined: ['disbursed'],
  disbursed: ['closed'],
  rejected: [],
  withdrawn: [],
  lapsed: [],
  closed: [],
};

export const canMove = (from: CaseStatus, to: CaseStatus): boolean => TRANSITIONS[from].includes(to);

export type CaseCommand = 'decision' | 'foreign_filing' | 'expense' | 'document' | 'report' | 'confirmation'
  | 'determination' | 'disbursement' | 'withdrawal' | 'status_report'
  /** What the case does on its own: lapse at the evidence deadline, close after the last report. */
  | 'lapse' | 'close';

/**
 * The statuses in which each command is accepted. Where the contract is silent:
 * - foreign filings may be recorded while the evidence is gathered and while it is
 *   reviewed (approved, reported): a filing made in time is often reported late;
 * - evidence documents likewise (approved, reported), so a missing receipt can be added
 *   before its expense is confirmed; after determination the file is closed for money.
 */
export const COMMAND_STATUSES: Record<CaseCommand, readonly CaseStatus[]> = {
  decision: ['under_review'],
  foreign_filing: ['approved', 'reported'],
  expense: ['approved'],
  document: ['approved', 'reported'],
  report: ['approved'],
  confirmation: ['reported'],
  determination: ['reported'],
  disbursement: ['determined'],
  withdrawal: ['under_review', 'approved'],
  status_report: ['disbursed'],
  lapse: ['approved'],
  close: ['disbursed'],
};

const COMMAND_NAMES: Record<CaseCommand, string> = {
  decision: 'A decision', foreign_filing: 'Recording a foreign filing', expense: 'Recording an expense',
  document: 'Uploading a document', report: 'The performance report', confirmation: 'Confirming an expense',
  determination: 'Determination', disbursement: 'Disbursement', withdrawal: 'Withdrawal', status_report: 'A status report',
  lapse: 'Lapsing', close: 'Closing',
};

export const SUBSIDY_CASE_STATUS = statusTable<CaseStatus, CaseCommand>({
  statuses: CASE_STATUSES, finalStatuses: FINAL_STATUSES, allowed: COMMAND_STATUSES, names: COMMAND_NAMES,
});

export const { isFinal, assertCommandAllowed } = SUBSIDY_CASE_STATUS;
/** Cases whose workflow still runs. */
export const OPEN_STATUSES = SUBSIDY_CASE_STATUS.openStatuses;
