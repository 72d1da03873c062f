import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertCountLimit, checkEligibility, intakeShapeProblems, type EligibilityInput, type IntakeFacts } from '../../../domain/subsidy/eligibility.js';
import {
  APPLICANT_KINDS, completeOverseasIpYear, FY2024_ELIGIBILITY, PROCEDURES, RIGHT_TYPES, validateProgramYear, type ApplicantKind, type OverseasIpYear,
} from '../../../domain/program-year.js';
import { baseApplicationKey } from '../../../domain/subsidy/terms.js';
import { DomainError } from '../../../domain/errors.js';

// The FY2024 rules as seeded (shared/domain.md).
const year: Pick<OverseasIpYear, 'windows' | 'caps'> = {
  windows: [
    { label: '第2回', procedures: ['filing'], opensAt: '2024-08-19T00:00:00+09:00', closesAt: '2024-08-30T12:00:00+09:00' },
    { label: '中間応答・審査請求', procedures: ['office_action_response', 'examination_request'], opensAt: '2024-05-30T00:00:00+09:00', closesAt: '2025-02-07T12:00:00+09:00' },
  ],
  caps: {
    filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 },
    office_action_response: { patent: 500_000 },
    examination_request: { patent: 500_000 },
  },
};

const at = (text: string) => Date.parse(text);
const filing: IntakeFacts = {
  procedure: 'filing', rightType: 'patent', regionalCollectiveTrademark: false, jpoApplicationNumber: '特願2024-012345',
  priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false, receivedAt: at('2024-08-20T10:00:00+09:00'),
};
const priorFiling = { id: 'sc_prior', applicantId: 'ap_1', procedure: 'filing', rightType: 'patent', status: 'disbursed' };

function input(intake: Partial<IntakeFacts> = {}, rest: Partial<EligibilityInput> = {}): EligibilityInput {
  return { year, applicantId: 'ap_1', applicantKind: 'sme', intake: { ...filing, ...intake }, priorCase: null, ...rest };
}
const refusalOf = (i: EligibilityInput): string | null => {
  try {
    checkEligibility(i);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

describe('application windows (JST)', () => {
  it('admits up to the last millisecond before the closing minute and refuses 12:00:00', () => {
    expect(refusalOf(input({ receivedAt: at('2024-08-30T11:59:59.999+09:00') }))).toBeNull();
    expect(refusalOf(input({ receivedAt: at('2024-08-30T12:00:00+09:00') }))).toBe('window_closed');
    expect(refusalOf(input({ receivedAt: at('2024-08-30T03:00:00Z') }))).toBe('window_closed'); // 12:00 JST written in UTC
    expect(refusalOf(input({ receivedAt: at('2024-08-19T00:00:00+09:00') }))).toBeNull();
    expect(refusalOf(input({ receivedAt: at('2024-08-18T23:59:59+09:00') }))).toBe('window_closed');
  });

  it('uses the window of the procedure', () => {
    expect(refusalOf(input({ receivedAt: at('2024-10-01T10:00:00+09:00') }))).toBe('window_closed');
    expect(refusalOf(input({ procedure: 'examination_request', receivedAt: at('2024-10-01T10:00:00+09:00'), priorSubsidyReference: 'R5-123' }))).toBeNull();
    expect(checkEligibility(input()).window.label).toBe('第2回');
  });
});

describe('who may apply for what', () => {
  it('admits SMEs, start-ups, small enterprises and universities; refuses the rest', () => {
    for (const kind of APPLICANT_KINDS) {
      const expected = ['sme', 'sme_startup', 'small_enterprise', 'university', 'individual_business', 'public_research_institute'].includes(kind) ? null : 'applicant_not_eligible';
      expect(refusalOf(input({}, { applicantKind: kind })), kind).toBe(expected);
    }
  });

  it('admits cooperatives (JA and fishery co-ops too), societies and chambers of commerce and NPOs for a regional collective trademark only', () => {
    for (const kind of ['business_cooperative', 'society_of_commerce', 'chamber_of_commerce', 'npo', 'agricultural_cooperative', 'fishery_cooperative'] as ApplicantKind[]) {
      expect(refusalOf(input({ rightType: 'trademark', regionalCollectiveTrademark: true }, { applicantKind: kind }))).toBeNull();
      expect(refusalOf(input({ rightType: 'trademark' }, { applicantKind: kind }))).toBe('applicant_not_eligible');
    }
    expect(refusalOf(input({ rightType: 'trademark', regionalCollectiveTrademark: true }, { applicantKind: 'large_enterprise' }))).toBe('applicant_not_eligible');
    expect(refusalOf(input({ rightType: 'patent', regionalCollectiveTrademark: true }))).toBe('right_not_eligible');
  });

  it('pays office-action responses and examination requests for patents only', () => {
    for (const rightType of RIGHT_TYPES) {
      const r = refusalOf(input({ procedure: 'office_action_response', rightType, priorSubsidyReference: 'R5-1', refusalGrounds: ['novelty'], receivedAt: at('2024-10-01T10:00:00+09:00') }));
      expect(r, rightType).toBe(rightType === 'patent' ? null : 'right_not_eligible');
    }
  });

  it('needs the JPO basis for a filing', () => {
    expect(refusalOf(input({ jpoApplicationNumber: null }))).toBe('jpo_basis_required');
    expect(refusalOf(input({ jpoApplicationNumber: '  ' }))).toBe('jpo_basis_required');
  });
});

describe('office-action responses and examination requests', () => {
  const oa = (i: Partial<IntakeFacts>, rest: Partial<EligibilityInput> = {}) =>
    refusalOf(input({ procedure: 'office_action_response', receivedAt: at('2024-10-01T10:00:00+09:00'), refusalGrounds: ['novelty'], ...i }, rest));

  it('need a prior subsidised filing: a case of this system or a reference', () => {
    expect(oa({})).toBe('prior_case_required');
    expect(oa({ priorSubsidyReference: '令和5年度 外国出願補助金 第123号' })).toBeNull();
    expect(oa({ priorCaseId: 'sc_prior' }, { priorCase: priorFiling })).toBeNull();
    expect(oa({ priorCaseId: 'sc_nope' }, { priorCase: null })).toBe('prior_case_required');
    expect(oa({ priorCaseId: 'sc_prior' }, { priorCase: { ...priorFiling, applicantId: 'ap_other' } })).toBe('prior_case_required');
    expect(oa({ priorCaseId: 'sc_prior' }, { priorCase: { ...priorFiling, status: 'lapsed' } })).toBe('prior_case_required');
    expect(oa({ priorCaseId: 'sc_prior' }, { priorCase: { ...priorFiling, rightType: 'design' } })).toBe('prior_case_required');
  });

  it('pay a response only to a refusal citing novelty or inventive step', () => {
    expect(oa({ priorSubsidyReference: 'R5-1', refusalGrounds: ['clarity', 'unity'] })).toBe('refusal_grounds_not_eligible');
    expect(oa({ priorSubsidyReference: 'R5-1', refusalGrounds: [] })).toBe('refusal_grounds_not_eligible');
    expect(oa({ priorSubsidyReference: 'R5-1', refusalGrounds: ['clarity', 'inventive_step'] })).toBeNull();
  });

  it('pay an examination request only if examination was not yet requested', () => {
    const ex = (examinationRequested: boolean) => refusalOf(input({ procedure: 'examination_request', priorSubsidyReference: 'R5-1', examinationRequested, receivedAt: at('2024-10-01T10:00:00+09:00') }));
    expect(ex(true)).toBe('examination_already_requested');
    expect(ex(false)).toBeNull();
  });

  it('are one procedure in one country', () => {
    expect(intakeShapeProblems({ procedure: 'examination_request', targetCountries: ['US', 'CN'], estimatedCosts: [] })).toHaveLength(1);
    expect(intakeShapeProblems({ procedure: 'filing', targetCountries: ['US', 'CN'], estimatedCosts: [] })).toHaveLength(0);
  });
});

describe('properties', () => {
  it('is a total function: every input is admitted or refused with a contract code', () => {
    const codes = ['window_closed', 'applicant_not_eligible', 'right_not_eligible', 'jpo_basis_required', 'prior_case_required', 'refusal_grounds_not_eligible', 'examination_already_requested'];
    fc.assert(fc.property(
      fc.constantFrom(...APPLICANT_KINDS), fc.constantFrom(...PROCEDURES), fc.constantFrom(...RIGHT_TYPES), fc.boolean(), fc.option(fc.constant('特願2024-1')),
      fc.option(fc.constant('R5-1')), fc.subarray(['novelty', 'inventive_step', 'clarity']), fc.boolean(),
      fc.integer({ min: at('2024-04-01T00:00:00+09:00'), max: at('2025-03-31T00:00:00+09:00') }),
      (kind, procedure, rightType, rct, jpo, ref, grounds, requested, receivedAt) => {
        const code = refusalOf(input({ procedure, rightType, regionalCollectiveTrademark: rct, jpoApplicationNumber: jpo, priorSubsidyReference: ref, refusalGrounds: grounds, examinationRequested: requested, receivedAt }, { applicantKind: kind }));
        if (code !== null) expect(codes).toContain(code);
        else {
          // Whatever is admitted satisfies every rule.
          expect(procedure === 'filing' ? jpo !== null : ref !== null).toBe(true);
          if (procedure !== 'filing') expect(rightType).toBe('patent');
          if (kind === 'large_enterprise') expect.unreachable();
        }
      }));
  });
});

describe('v1.1: prior cases, countries and counts', () => {
  const oa = (i: Partial<IntakeFacts>, rest: Partial<EligibilityInput> = {}) =>
    refusalOf(input({ procedure: 'office_action_response', receivedAt: at('2024-10-01T10:00:00+09:00'), refusalGrounds: ['novelty'], priorCaseId: 'sc_prior', ...i }, rest));
  const prior = { ...priorFiling, filingCountries: ['US'] };

  it('a response must concern a country in which the prior case filed, and the prior case must be paid', () => {
    expect(oa({ targetCountries: ['US'] }, { priorCase: prior })).toBeNull();
    expect(oa({ targetCountries: ['CN'] }, { priorCase: prior })).toBe('country_not_in_prior_case');
    expect(oa({ targetCountries: ['US'] }, { priorCase: { ...prior, status: 'determined' } })).toBe('prior_case_not_paid');
    expect(oa({ targetCountries: ['US'] }, { priorCase: { ...prior, status: 'approved' } })).toBe('prior_case_not_paid');
    expect(oa({ targetCountries: ['US'] }, { priorCase: { ...prior, status: 'closed' } })).toBeNull();
  });

  it('takes the kinds and right types from the year: the same code refuses or admits by data alone', () => {
    const narrow = { ...year, eligibleApplicantKinds: ['sme'] as ApplicantKind[], regionalCollectiveTrademarkKinds: [], rightTypes: { ...FY2024_ELIGIBILITY.rightTypes, filing: ['patent' as const] } };
    expect(refusalOf(input({}, { year: narrow, applicantKind: 'university' }))).toBe('applicant_not_eligible');
    expect(refusalOf(input({ rightType: 'design' }, { year: narrow }))).toBe('right_not_eligible');
    expect(refusalOf(input({}, { year: narrow }))).toBeNull();
  });

  it('limits live cases per applicant and right type when the year says so', () => {
    expect(() => assertCountLimit({ perApplicantCountLimits: { design: 5 } }, 'design', 4)).not.toThrow();
    expect(() => assertCountLimit({ perApplicantCountLimits: { design: 5 } }, 'design', 5)).toThrow(/at most 5/);
    expect(() => assertCountLimit({ perApplicantCountLimits: { design: 5 } }, 'patent', 50)).not.toThrow();
  });

  it('compares base applications without spaces, hyphens or width differences', () => {
    const key = baseApplicationKey('特願2024-012345');
    expect(baseApplicationKey('特願２０２４－０１２３４５')).toBe(key);
    expect(baseApplicationKey(' 特願 2024‐012345 ')).toBe(key);
    expect(baseApplicationKey('特願2024ー012345')).toBe(key);
    expect(baseApplicationKey('特願2024-012346')).not.toBe(key);
  });
});

describe('program year v1.1 validation', () => {
  const fy2024 = completeOverseasIpYear({
    program: 'overseas_ip_subsidy', fiscalYear: 2024, title: 'FY2024', windows: year.windows, rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
    caps: year.caps, perApplicantCaps: { filing: 3_000_000 }, reportDeadline: '2025-03-31T17:00:00+09:00', statusReports: { years: 5, asOf: '03-31', due: '05-31' },
  });
  const pathsOf = (y: OverseasIpYear) => validateProgramYear(y).map((p) => p.path);

  it('fills every missing v1.1 field with its FY2024 value, which is valid', () => {
    expect(fy2024.eligibleApplicantKinds).toContain('public_research_institute');
    expect(fy2024.regionalCollectiveTrademarkKinds).toEqual(expect.arrayContaining(['agricultural_cooperative', 'fishery_cooperative']));
    expect(validateProgramYear(fy2024)).toEqual([]);
  });

  it('refuses unknown kinds, rights and categories with their path, and a kind in both lists', () => {
    expect(pathsOf({ ...fy2024, eligibleApplicantKinds: ['sme', 'pirate' as ApplicantKind] })).toEqual(['/eligibleApplicantKinds/1']);
    expect(pathsOf({ ...fy2024, regionalCollectiveTrademarkKinds: ['sme'] })).toEqual(['/regionalCollectiveTrademarkKinds/0']);
    expect(pathsOf({ ...fy2024, rightTypes: { ...fy2024.rightTypes, office_action_response: ['patent', 'copyright' as 'patent'] } })).toEqual(['/rightTypes/office_action_response/1']);
    expect(pathsOf({ ...fy2024, rightTypes: { ...fy2024.rightTypes, examination_request: ['patent', 'design'] } })).toEqual(['/rightTypes/examination_request/1']);
    expect(pathsOf({ ...fy2024, eligibleCostCategories: ['lunch', 'other'] })).toEqual(['/eligibleCostCategories/0', '/eligibleCostCategories/1']);
    expect(pathsOf({ ...fy2024, perApplicantCountLimits: { sculpture: 5 } as OverseasIpYear['perApplicantCountLimits'] })).toEqual(['/perApplicantCountLimits/sculpture']);
    expect(pathsOf({ ...fy2024, windows: [{ ...fy2024.windows[0]!, reportDeadline: 'soon' }] })).toEqual(['/windows/0/reportDeadline']);
  });
});
