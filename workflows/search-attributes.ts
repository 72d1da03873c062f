// Typed search attributes: staff can filter cases in the Temporal UI by these.
// The dev server registers the same list (scripts/lib/temporal-dev-server.ts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const ProgramYearId = defineSearchAttributeKey('ProgramYearId', SearchAttributeType.KEYWORD);
export const ApplicantId = defineSearchAttributeKey('ApplicantId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  { name: 'CaseStatus', cliType: 'Keyword' },
  { name: 'ProgramYearId', cliType: 'Keyword' },
  { name: 'ApplicantId', cliType: 'Keyword' },
] as const;
