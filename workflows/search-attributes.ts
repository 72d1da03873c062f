// Typed search attributes, set by both programs' workflows (subsidy cases and brand
// engagements), so staff can filter either in the Temporal UI. CaseStatus holds the status
// in that program's own words (`approved`, `in_support`…); ApplicantId and ProgramYearId
// are the same ids the API uses. The dev server registers the same list
// (scripts/lib/temporal-dev-server.ts).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const ProgramYearId = defineSearchAttributeKey('ProgramYearId', SearchAttributeType.KEYWORD);
export const ApplicantId = defineSearchAttributeKey('ApplicantId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [
  { name: 'CaseStatus', cliType: 'Keyword' },
  { name: 'ProgramYearId', cliType: 'Keyword' },
  { name: 'ApplicantId', cliType: 'Keyword' },
] as const;
