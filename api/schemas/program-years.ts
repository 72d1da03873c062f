import { Type } from '@sinclair/typebox';
import { APPLICANT_KINDS, PROCEDURES, RIGHT_TYPES } from '../../domain/program-year.js';
import { EXPENSE_CATEGORIES } from '../../domain/subsidy/expenses.js';
import { CalendarDate, Instant, Yen, literals } from './common.js';

export const ProcedureSchema = literals(PROCEDURES);
export const RightTypeSchema = literals(RIGHT_TYPES);
export const ApplicantKindSchema = literals(APPLICANT_KINDS);
const PositiveYen = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 });
const capsByRight = Type.Object(Object.fromEntries(RIGHT_TYPES.map((r) => [r, Type.Optional(PositiveYen)])), { additionalProperties: false });
const MonthDay = Type.String({ maxLength: 5, pattern: '^\\d{2}-\\d{2}$' });
const NameList = (known: readonly string[], description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50, description: `${description}; one of ${known.join(', ')}` });

export const OverseasIpYearSchema = Type.Object({
  program: Type.Literal('overseas_ip_subsidy'),
  fiscalYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  windows: Type.Array(Type.Object({
    label: Type.String({ minLength: 1, maxLength: 100 }),
    procedures: Type.Array(ProcedureSchema, { minItems: 1, maxItems: PROCEDURES.length, uniqueItems: true }),
    opensAt: Instant,
    closesAt: Instant,
    reportDeadline: Type.Optional(Instant),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  rate: Type.Object({ numerator: Type.Integer({ minimum: 1, maximum: 1_000_000 }), denominator: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false }),
  roundingUnitJpy: PositiveYen,
  caps: Type.Object(Object.fromEntries(PROCEDURES.map((p) => [p, Type.Optional(capsByRight)])), { additionalProperties: false }),
  perApplicantCaps: Type.Object(Object.fromEntries(PROCEDURES.map((p) => [p, Type.Optional(PositiveYen)])), { additionalProperties: false }),
  // v1.1 lists: optional (a missing one takes its FY2024 value); their values are judged by the
  // domain (422 invalid_program_year with the path), so the schema takes any short name.
  eligibleApplicantKinds: Type.Optional(NameList(APPLICANT_KINDS, 'applicant kinds eligible for every procedure and right')),
  regionalCollectiveTrademarkKinds: Type.Optional(NameList(APPLICANT_KINDS, 'kinds that may apply only to file a regional collective trademark (地域団体商標)')),
  perApplicantCapExemptKinds: Type.Optional(NameList(APPLICANT_KINDS, 'kinds without a per-applicant cap (大学等)')),
  rightTypes: Type.Optional(Type.Object(Object.fromEntries(PROCEDURES.map((p) => [p, NameList(RIGHT_TYPES, `right types supported for ${p}`)])), { additionalProperties: false })),
  eligibleCostCategories: Type.Optional(NameList(EXPENSE_CATEGORIES.filter((c) => c !== 'other'), 'cost categories the program pays')),
  perApplicantCountLimits: Type.Optional(Type.Record(Type.String({ maxLength: 50, pattern: '^[a-z][a-z_]{0,49}$' }), Type.Integer({ minimum: 1, maximum: 10_000 }),
    { maxProperties: RIGHT_TYPES.length, description: 'at most this many live cases per applicant and year, by right type (e.g. {"design": 5, "trademark": 5})' })),
  reportDeadline: Instant,
  statusReports: Type.Object({ years: Type.Integer({ minimum: 0, maximum: 30 }), asOf: MonthDay, due: MonthDay }, { additionalProperties: false }),
}, { additionalProperties: false, $id: 'OverseasIpYear' });

export const RegionalBrandYearSchema = Type.Object({
  program: Type.Literal('regional_brand'),
  fiscalYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  callWindow: Type.Object({ opensAt: Instant, closesAt: Instant }, { additionalProperties: false }),
  capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
  supportEndsAt: Instant,
  sessionGraceDays: Type.Integer({ minimum: 0, maximum: 365 }),
}, { additionalProperties: false, $id: 'RegionalBrandYear' });

export const DesignManagementYearSchema = Type.Object({
  program: Type.Literal('design_management'),
  fiscalYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
  title: Type.String({ minLength: 1, maxLength: 300 }),
  dispatch: Type.Object({
    applicationWindow: Type.Object({ opensAt: Instant, closesAt: Instant }, { additionalProperties: false }),
    visitsFrom: CalendarDate,
    visitsUntil: CalendarDate,
    companies: Type.Integer({ minimum: 1, maximum: 1000 }),
    maxVisitsPerCompany: Type.Integer({ minimum: 1, maximum: 100 }),
  }, { additionalProperties: false }),
  reminderDaysBefore: Type.Integer({ minimum: 0, maximum: 365 }),
  visitGraceDays: Type.Integer({ minimum: 0, maximum: 365 }),
}, { additionalProperties: false, $id: 'DesignManagementYear' });

export const ProgramYearBody = Type.Union([Type.Ref('OverseasIpYear'), Type.Ref('RegionalBrandYear'), Type.Ref('DesignManagementYear')]);
/** A year as served: its id and the rules as stored (the shape of its program, fields of later versions included). */
export const ProgramYearView = Type.Object({
  id: Type.String(), program: Type.String(), fiscalYear: Type.Integer(), title: Type.String(), revision: Type.Optional(Type.Integer()),
}, { additionalProperties: true, description: 'One of OverseasIpYear, RegionalBrandYear or DesignManagementYear, with its id' });
export const ProgramYearIdParams = Type.Object({ id: Type.String({ maxLength: 63, pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) });

export { Yen };
