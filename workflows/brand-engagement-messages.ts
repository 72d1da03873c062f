// The typed contract between the API and the engagement workflow: its input, Updates and
// query. Routes import these definitions; the workflow registers handlers for them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandMeta } from './kernel/case-entity.js';
import type { BrandMeasure, EngagementStatus } from '../domain/brand/engagement.js';
import type { SessionKind, SessionStatus } from '../domain/brand/plan.js';

export const engagementWorkflowId = (engagementId: string): string => `brand-engagement-${engagementId}`;

/** The rules of the program year a running engagement follows; PUT /program-years may move them. */
export interface EngagementRules {
  supportEndsAt: string;
  sessionGraceDays: number;
}

export type { CommandMeta };

export interface Intake {
  applicantId: string;
  productName: string;
  municipality: string;
  goals: BrandMeasure[];
  background: string | null;
  issues: string | null;
  receivedAt: string;
}

export interface NewSession {
  /** Chosen by the API (ids are opaque and random; workflows cannot draw random ids). */
  id: string;
  title: string;
  kind: SessionKind;
  lecturerName: string;
  lecturerOrganization: string | null;
  scheduledAt: string;
}

export interface Hearing {
  heldOn: string;
  findings: string[];
  notes: string | null;
}

export interface ActionPlan {
  summary: string;
  actions: { title: string; owner: string; dueOn: string }[];
}

export interface SessionSnapshot {
  id: string;
  kind: SessionKind;
  scheduledAt: number;
  status: SessionStatus;
  overdueFlag: boolean;
  remindedFor: number | null;
  datedAt: number;
}

/** Everything a run hands to the next one on continue-as-new. */
export interface EngagementSnapshot {
  status: EngagementStatus;
  supportLeaderId: string | null;
  hasActionPlan: boolean;
  pastSupportEndFlag: boolean;
  /** Since when the support period's end is watched (apply, or the last rules change). */
  supportEndWatchedSince: number;
  sessions: SessionSnapshot[];
  /** Snapshots before commands were keyed by their Update id counted them (unused now). */
  eventSeq?: number;
  /** Absent in snapshots taken before revisions were tracked. */
  rulesRevision?: number;
  doneUpdates?: string[];
  clockOffsetMs?: number;
}

export interface BrandEngagementInput {
  engagementId: string;
  programYearId: string;
  rules: EngagementRules;
  snapshot?: EngagementSnapshot;
}

export const applyUpdate = defineUpdate<void, [{ meta: CommandMeta; intake: Intake }]>('apply');
export const selectionUpdate = defineUpdate<void, [{ meta: CommandMeta; selected: boolean; reason: string | null }]>('selection');
export const hearingUpdate = defineUpdate<void, [{ meta: CommandMeta; hearing: Hearing }]>('hearing');
export const planUpdate = defineUpdate<void, [{ meta: CommandMeta; supportLeaderId: string; direction: string; measures: BrandMeasure[]; sessions: NewSession[] }]>('plan');
export const addSessionUpdate = defineUpdate<void, [{ meta: CommandMeta; session: NewSession }]>('addSession');
export const rescheduleSessionUpdate = defineUpdate<void, [{ meta: CommandMeta; sessionId: string; scheduledAt: string }]>('rescheduleSession');
export const cancelSessionUpdate = defineUpdate<void, [{ meta: CommandMeta; sessionId: string }]>('cancelSession');
export const completeSessionUpdate = defineUpdate<void, [{ meta: CommandMeta; sessionId: string; heldAt: string; attendeeCount: number; summary: string }]>('completeSession');
export const actionPlanUpdate = defineUpdate<void, [{ meta: CommandMeta; actionPlan: ActionPlan }]>('actionPlan');
export const withdrawalUpdate = defineUpdate<void, [{ meta: CommandMeta; reason: string }]>('withdrawal');
/** PUT /program-years moved supportEndsAt or sessionGraceDays: timers move, stale flags clear. */
export const rulesChangedUpdate = defineUpdate<void, [{ rules: EngagementRules; revision: number | null }]>('rulesChanged');

export const engagementStateQuery = defineQuery<EngagementSnapshot | null>('state');

/** The workflow type, for clients that start it without importing workflow code. */
export const BRAND_ENGAGEMENT_WORKFLOW = 'brandEngagementWorkflow';
