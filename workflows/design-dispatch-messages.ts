// The typed contract between the API and an expert dispatch's workflow (Program C).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandMeta } from './kernel/case-entity.js';
import type { DispatchStatus, VisitStatus } from '../domain/design/dispatch.js';
import { fiscalYearEndOf } from '../domain/design/timers.js';
import type { DesignManagementYear } from '../domain/program-year.js';
import { toJstIso } from '../domain/time.js';

export const dispatchWorkflowId = (dispatchId: string): string => `design-dispatch-${dispatchId}`;

/** What a running dispatch follows of its program year; PUT /program-years may move it. */
export interface DispatchRules {
  reminderDaysBefore: number;
  visitGraceDays: number;
  visitsFrom: string;
  visitsUntil: string;
  maxVisitsPerCompany: number;
  /** The end of the program year's fiscal year (RFC 3339). */
  fiscalYearEndsAt: string;
}

/** What a running dispatch follows of its program year. */
export function dispatchRulesOf(year: DesignManagementYear): DispatchRules {
  return {
    reminderDaysBefore: year.reminderDaysBefore, visitGraceDays: year.visitGraceDays, visitsFrom: year.dispatch.visitsFrom, visitsUntil: year.dispatch.visitsUntil,
    maxVisitsPerCompany: year.dispatch.maxVisitsPerCompany, fiscalYearEndsAt: toJstIso(fiscalYearEndOf(year.fiscalYear)),
  };
}

export interface DispatchIntake {
  applicantId: string;
  issue: string;
  sourceRegistrationId: string | null;
  receivedAt: string;
}

export interface ClosingReport {
  summary: string;
  outcomes: string[];
  ipFollowUp: string[];
}

export interface VisitSnapshot {
  id: string;
  scheduledAt: number;
  status: VisitStatus;
  overdueFlag: boolean;
  remindedFor: number | null;
  datedAt: number;
}

export interface DispatchSnapshot {
  status: DispatchStatus;
  expertId: string | null;
  plannedVisits: number | null;
  visits: VisitSnapshot[];
  pastYearEndFlag: boolean;
  yearEndWatchedSince: number;
  rulesRevision: number;
  doneUpdates: string[];
  clockOffsetMs: number;
}

export interface DesignDispatchInput {
  dispatchId: string;
  programYearId: string;
  rules: DispatchRules;
  snapshot?: DispatchSnapshot;
}

export const applyDispatchUpdate = defineUpdate<void, [{ meta: CommandMeta; intake: DispatchIntake }]>('apply');
export const decisionUpdate = defineUpdate<void, [{ meta: CommandMeta; accept: boolean; reason: string | null }]>('decision');
export const assignmentUpdate = defineUpdate<void, [{ meta: CommandMeta; expertId: string; plannedVisits: number }]>('assignment');
export const addVisitUpdate = defineUpdate<void, [{ meta: CommandMeta; visitId: string; scheduledAt: string }]>('addVisit');
export const rescheduleVisitUpdate = defineUpdate<void, [{ meta: CommandMeta; visitId: string; scheduledAt: string }]>('rescheduleVisit');
export const cancelVisitUpdate = defineUpdate<void, [{ meta: CommandMeta; visitId: string }]>('cancelVisit');
export const completeVisitUpdate = defineUpdate<void, [{ meta: CommandMeta; visitId: string; heldAt: string; hours: number; summary: string }]>('completeVisit');
export const reportUpdate = defineUpdate<void, [{ meta: CommandMeta; report: ClosingReport }]>('report');
export const dispatchWithdrawalUpdate = defineUpdate<void, [{ meta: CommandMeta; reason: string }]>('withdrawal');
export const dispatchRulesChangedUpdate = defineUpdate<void, [{ rules: DispatchRules; revision: number | null }]>('rulesChanged');

export const dispatchStateQuery = defineQuery<DispatchSnapshot | null>('state');

export const DESIGN_DISPATCH_WORKFLOW = 'designDispatchWorkflow';
