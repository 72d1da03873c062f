// A regional brand engagement (地域ブランド確立促進支援事業, Program B) and the commands
// each status allows: api.md → Brand engagements.
import { DomainError, unknownReference } from '../errors.js';
import { statusTable } from '../state-machine.js';

export const ENGAGEMENT_STATUSES = ['applied', 'selected', 'not_selected', 'hearing_done', 'in_support', 'completed', 'withdrawn'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];

/** Goals of a group and measures of its support plan share one list (api.md). */
export const BRAND_MEASURES = ['regional_collective_trademark', 'gi', 'trademark', 'design', 'branding', 'sales_channels', 'tourism'] as const;
export type BrandMeasure = (typeof BRAND_MEASURES)[number];

/** Statuses an engagement never leaves. */
export const CLOSED_STATUSES: readonly EngagementStatus[] = ['not_selected', 'completed', 'withdrawn'];

export const isClosed = (status: EngagementStatus): boolean => CLOSED_STATUSES.includes(status);

/**
 * Statuses that hold one of the year's `capacity` places. A group that withdraws after
 * selection gives its place back, so staff can select a runner-up (the seed only says
 * 支援対象数 ４者: four groups are supported, not four selections ever made).
 */
export const HOLDS_PLACE: readonly EngagementStatus[] = ['selected', 'hearing_done', 'in_support', 'completed'];

export type EngagementCommand =
  | 'selection' | 'hearing' | 'plan' | 'add session' | 'reschedule session' | 'cancel session'
  | 'complete session' | 'action plan' | 'withdrawal';

/**
 * The state machine: applied → selected | not_selected; selected → hearing_done (課題の把握)
 * → in_support (支援の方向性 decided, sessions planned) → completed; any open status →
 * withdrawn. Sessions and the action plan belong to the support phase.
 */
const ALLOWED: Record<EngagementCommand, readonly EngagementStatus[]> = {
  selection: ['applied'],
  hearing: ['selected'],
  plan: ['hearing_done'],
  'add session': ['in_support'],
  'reschedule session': ['in_support'],
  'cancel session': ['in_support'],
  'complete session': ['in_support'],
  'action plan': ['in_support'],
  // "any status before completed": not_selected is an outcome, not a status before completion.
  withdrawal: ['applied', 'selected', 'hearing_done', 'in_support'],
};

export const ENGAGEMENT_STATUS = statusTable<EngagementStatus, EngagementCommand>({
  statuses: ENGAGEMENT_STATUSES, finalStatuses: CLOSED_STATUSES, allowed: ALLOWED,
});

export const assertCommandAllowed = ENGAGEMENT_STATUS.assertCommandAllowed;
/** Engagements whose workflow still runs. */
export const OPEN_STATUSES = ENGAGEMENT_STATUS.openStatuses;

/** The status a command leads to, when it changes the status. */
export function statusAfter(command: 'selection' | 'hearing' | 'plan' | 'withdrawal', selected = true): EngagementStatus {
  switch (command) {
    case 'selection': return selected ? 'selected' : 'not_selected';
    case 'hearing': return 'hearing_done';
    case 'plan': return 'in_support';
    case 'withdrawal': return 'withdrawn';
  }
}

export function capacityReached(capacity: number): DomainError {
  return new DomainError('capacity_reached', `All ${capacity} places of this program year are already taken (支援対象数)`);
}

/** A support leader named in a plan must be a registered expert (422, not 404: the reference is at fault). */
export function unknownExpert(id: string): DomainError {
  return unknownReference('expert', id, 'body/supportLeaderId', 'is not a registered expert; register the support leader first (POST /experts)');
}
