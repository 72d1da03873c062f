// Who may apply for regional brand support (Program B, v1.1): a group — a council (協議会),
// a cooperative, an association — based in Hokkaido. A company or a sole proprietor is not a
// group; a municipality may host a council's office and is taken as one.
import { DomainError } from '../errors.js';
import type { ApplicantKind } from '../program-year.js';

/** Kinds that are not groups. */
export const NOT_GROUP_KINDS: readonly ApplicantKind[] = ['large_enterprise', 'sme', 'sme_startup', 'small_enterprise', 'individual_business'];
export const BRAND_PREFECTURE = '北海道';

export function assertBrandApplicantEligible(applicant: { kind: string; prefecture: string | null }): void {
  if (NOT_GROUP_KINDS.includes(applicant.kind as ApplicantKind)) {
    throw new DomainError('applicant_not_eligible', `Regional brand support is for groups; an applicant of kind ${applicant.kind} is not one`, [{ path: 'body/applicantId', message: 'must be a group (council, cooperative, association)' }]);
  }
  if (applicant.prefecture !== BRAND_PREFECTURE) {
    throw new DomainError('applicant_not_eligible', `Regional brand support is for groups in Hokkaido (北海道); this applicant is in ${applicant.prefecture ?? 'no recorded prefecture'}`, [{ path: 'body/applicantId', message: 'must be a group whose prefecture is 北海道' }]);
  }
}
