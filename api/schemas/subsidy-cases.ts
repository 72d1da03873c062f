// Request and response schemas of the subsidy case routes (api.md → Subsidy cases).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EXPENSE_CATEGORIES } from '../../domain/subsidy/expenses.js';
import { CASE_STATUSES } from '../../domain/subsidy/status.js';
import { COUNTRY_CODES } from '../../domain/countries.js';
import { ApplicantKindSchema, ProcedureSchema, RightTypeSchema } from './program-years.js';
import { CalendarDate, Id, Instant, ListQuery, Yen, literals } from './common.js';

/**
 * In request bodies `{type: [T, 'null']}` rather than anyOf: with the app's type coercion
 * ajv would turn a null into "" (or 0) to fit an anyOf's first branch.
 */
const NullableInput = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type as string, 'null'] });
const OptionalNullable = <T extends TSchema>(schema: T) => Type.Optional(NullableInput(schema));
/** In responses (never coerced) the plain union. */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CaseStatusSchema = literals(CASE_STATUSES);
export const ExpenseCategorySchema = literals(EXPENSE_CATEGORIES);
/** ISO 3166-1 alpha-2, or EP (EPO), WO (PCT), EM (EUIPO), WIPO (Madrid, Hague): anything else is 400. */
export const Country = Type.Unsafe<string>({ type: 'string', enum: [...COUNTRY_CODES], examples: ['US'], description: 'ISO 3166-1 alpha-2, or EP (EPO), WO (PCT), EM (EUIPO), WIPO (Madrid, Hague)' });
const PositiveYen = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Whole yen' });
const Text = (maxLength = 2000) => Type.String({ minLength: 1, maxLength });
export const STATUS_REPORT_STATUSES = ['pending', 'granted', 'refused', 'abandoned', 'withdrawn'] as const;

export const CaseIdParams = Type.Object({ id: Id });
export const ExpenseParams = Type.Object({ id: Id, expenseId: Id });
export const DocumentParams = Type.Object({ id: Id, expenseId: Id, documentId: Id });

const EstimatedCost = Type.Object({
  category: ExpenseCategorySchema,
  amountJpy: Yen,
  consumptionTaxJpy: Type.Optional(Yen),
  country: Type.Optional(Country),
}, { additionalProperties: false, description: 'amountJpy as invoiced, tax included; consumptionTaxJpy is the tax inside it (never eligible)' });

export const SubsidyCaseCreate = Type.Object({
  programYearId: Id,
  applicantId: Id,
  procedure: ProcedureSchema,
  rightType: RightTypeSchema,
  title: Text(300),
  regionalCollectiveTrademark: Type.Optional(Type.Boolean({ default: false })),
  jpoApplicationNumber: OptionalNullable(Type.String({ maxLength: 100 })),
  targetCountries: Type.Array(Country, { minItems: 1, maxItems: 200 }),
  priorCaseId: OptionalNullable(Type.String({ maxLength: 100 })),
  priorSubsidyReference: OptionalNullable(Type.String({ maxLength: 300 })),
  refusalGrounds: Type.Optional(Type.Array(Type.String({ maxLength: 50, pattern: '^[a-z][a-z_]{0,49}$' }), { maxItems: 20, description: '`novelty`, `inventive_step`, or any other ground (clarity, support, unity, …)' })),
  examinationRequested: Type.Optional(Type.Boolean({ default: false })),
  estimatedCosts: Type.Array(EstimatedCost, { minItems: 1, maxItems: 500 }),
  ownershipShare: Type.Optional(Type.Object({
    numerator: Type.Integer({ minimum: 1, maximum: 1_000_000 }), denominator: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  }, { additionalProperties: false, description: "the applicant's share of a co-owned right (持分比率), 0 < numerator ≤ denominator; default 1/1" })),
  receivedAt: Type.Optional(Instant),
}, { additionalProperties: false });

export const DecisionBody = Type.Object({
  approve: Type.Boolean(),
  grantLimitJpy: OptionalNullable(PositiveYen),
  approvedCountries: Type.Optional(Type.Array(Country, { minItems: 1, maxItems: 200, uniqueItems: true, description: 'a subset of targetCountries; default all of them' })),
  decidedAt: Type.Optional(Instant),
  reason: OptionalNullable(Text()),
}, { additionalProperties: false });

export const ForeignFilingBody = Type.Object({
  country: Country,
  applicationNumber: OptionalNullable(Type.String({ minLength: 1, maxLength: 100 })),
  filedOn: CalendarDate,
}, { additionalProperties: false });

export const ExpenseBody = Type.Object({
  category: ExpenseCategorySchema,
  payee: Text(300),
  invoiceNumber: OptionalNullable(Type.String({ minLength: 1, maxLength: 100 })),
  description: OptionalNullable(Text()),
  country: Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], enum: [...COUNTRY_CODES, null], description: 'required for every category but domestic_agent_fee' })),
  incurredOn: CalendarDate,
  paidOn: CalendarDate,
  amountJpy: PositiveYen,
  consumptionTaxJpy: Type.Optional(Yen),
  currency: OptionalNullable(Type.String({ maxLength: 3, pattern: '^[A-Z]{3}$', description: 'ISO 4217, for a cost paid in a foreign currency' })),
  foreignAmount: OptionalNullable(Type.Number({ minimum: 0, maximum: 1e15 })),
}, { additionalProperties: false, description: 'amountJpy is the yen actually paid, tax included; consumptionTaxJpy the consumption tax or VAT inside it' });

export const NoteBody = Type.Optional(Type.Object({ note: OptionalNullable(Text()) }, { additionalProperties: false }));

export const ConfirmationBody = Type.Object({
  accepted: Type.Boolean(),
  reason: OptionalNullable(Text()),
}, { additionalProperties: false });

export const DisbursementBody = Type.Object({
  paidAt: Instant,
  transferReference: Text(200),
}, { additionalProperties: false });

export const WithdrawalBody = Type.Object({ reason: Text() }, { additionalProperties: false });

export const StatusReportBody = Type.Object({
  year: Type.Integer({ minimum: 1, maximum: 9999, description: 'which yearly report: its number (1 … the program year\'s statusReports.years), or the calendar year of its as-of day, or the fiscal year that day closes' }),
  asOf: CalendarDate,
  countries: Type.Array(Type.Object({
    country: Country,
    status: literals(STATUS_REPORT_STATUSES),
    note: Type.Optional(Text()),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });

export const ExternalAwardBody = Type.Object({
  programYearId: Id,
  procedure: ProcedureSchema,
  body: Text(300),
  amountJpy: PositiveYen,
  awardedOn: CalendarDate,
  reference: OptionalNullable(Type.String({ minLength: 1, maxLength: 200 })),
}, { additionalProperties: false });

export const SubsidyCaseListQuery = Type.Object({
  ...ListQuery,
  status: Type.Optional(CaseStatusSchema),
  applicantId: Type.Optional(Id),
  programYearId: Type.Optional(Id),
  procedure: Type.Optional(ProcedureSchema),
  rightType: Type.Optional(RightTypeSchema),
}, { additionalProperties: false });

// --- views -----------------------------------------------------------------------------

const Step = Type.Object({ step: Type.String(), description: Type.String(), amountJpy: Type.Integer() });
const CalculationView = Type.Object({ resultJpy: Type.Integer(), steps: Type.Array(Step), at: Type.String() });

export const DocumentView = Type.Object({
  id: Type.String(), filename: Nullable(Type.String()), contentType: Type.String(), size: Type.Integer(), sha256: Type.String(),
  uploadedBy: Type.String(), uploadedAt: Type.String(), downloadUrl: Type.String(),
});

export const ExpenseView = Type.Object({
  id: Type.String(), category: Type.String(), payee: Type.String(), invoiceNumber: Nullable(Type.String()), description: Nullable(Type.String()),
  country: Nullable(Type.String()), incurredOn: Type.String(), paidOn: Type.String(), amountJpy: Type.Integer(), consumptionTaxJpy: Type.Integer(),
  currency: Nullable(Type.String()), foreignAmount: Nullable(Type.Number()),
  eligible: Type.Boolean(), ineligibleReason: Nullable(Type.String()), eligibleAmountJpy: Type.Integer(),
  accepted: Nullable(Type.Boolean()), confirmationReason: Nullable(Type.String()), confirmedAt: Nullable(Type.String()), confirmedBy: Nullable(Type.String()),
  documents: Type.Array(DocumentView), createdAt: Type.String(),
});

export const ForeignFilingView = Type.Object({
  id: Type.String(), country: Type.String(), applicationNumber: Nullable(Type.String()), filedOn: Type.String(),
  eligible: Type.Boolean({ description: 'false for a filing made before the support decision' }), ineligibleReason: Nullable(Type.String()), createdAt: Type.String(),
});

export const StatusReportView = Type.Object({
  id: Type.String(), year: Type.Integer({ description: 'as sent' }), reportNumber: Type.Integer({ description: 'which scheduled report (1 … years)' }), asOf: Type.String(),
  countries: Type.Array(Type.Object({ country: Type.String(), status: Type.String(), note: Type.Optional(Type.String()) })),
  recordedBy: Type.String(), recordedAt: Type.String(),
});

const HistoryView = Type.Object({
  at: Type.String(), type: Type.String(), actor: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

const summaryFields = {
  id: Type.String(), programYearId: Type.String(), applicantId: Type.String(), procedure: ProcedureSchema, rightType: RightTypeSchema,
  title: Type.String(), status: CaseStatusSchema, receivedAt: Type.String(), decidedAt: Nullable(Type.String()),
  maxGrantJpy: Type.Integer(), grantLimitJpy: Nullable(Type.Integer()),
  eligibleCostJpy: Nullable(Type.Integer({ description: 'the eligible estimate until expenses are recorded; then Σ eligible amounts (tax stripped) not refused; at determination the accepted eligible cost' })),
  determinedJpy: Nullable(Type.Integer()), disbursedJpy: Nullable(Type.Integer()),
  nextStatusReportDue: Nullable(Type.String({ description: 'due date (JST) of the next examination-status report owed' })),
  regionalCollectiveTrademark: Type.Boolean(), jpoApplicationNumber: Nullable(Type.String()), targetCountries: Type.Array(Type.String()),
  priorCaseId: Nullable(Type.String()), priorSubsidyReference: Nullable(Type.String()), refusalGrounds: Type.Array(Type.String()),
  examinationRequested: Type.Boolean(),
  estimatedCosts: Type.Array(Type.Object({ category: Type.String(), amountJpy: Type.Integer(), consumptionTaxJpy: Type.Optional(Type.Integer()), country: Type.Optional(Type.String()) })),
  estimatedEligibleCostJpy: Type.Integer(), windowLabel: Type.String(),
  terms: Type.Object({
    fiscalYear: Type.Integer(), rate: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() }), roundingUnitJpy: Type.Integer(),
    capJpy: Type.Integer(), perApplicantCapJpy: Nullable(Type.Integer()), applicantKind: ApplicantKindSchema,
    eligibleCostCategories: Type.Array(Type.String()), ownershipShare: Type.Object({ numerator: Type.Integer(), denominator: Type.Integer() }),
  }, { description: 'the money rules of the program year as at receipt' }),

  decisionReason: Nullable(Type.String()), withdrawalReason: Nullable(Type.String()),
  reportDeadline: Type.String(), reportedAt: Nullable(Type.String()), determinedAt: Nullable(Type.String()),
  paidAt: Nullable(Type.String()), transferReference: Nullable(Type.String()),
  createdAt: Type.String(), updatedAt: Type.String(),
};

export const SubsidyCaseSummary = Type.Object(summaryFields);

export const SubsidyCaseView = Type.Object({
  ...summaryFields,
  approvedCountries: Nullable(Type.Array(Type.String(), { description: 'the countries the decision approved (null before it)' })),
  baseApplication: Nullable(Type.Object({ key: Type.String(), capJpy: Type.Integer(), usedJpy: Type.Integer() }, { description: 'the per-application (１出願) cap of a filing case and what live cases on its base application reserved or were paid this year' })),
  expenses: Type.Array(ExpenseView),
  foreignFilings: Type.Array(ForeignFilingView),
  statusReports: Type.Array(StatusReportView),
  statusReportSchedule: Type.Array(Type.Object({ year: Type.Integer(), asOf: Type.String(), dueOn: Type.String() })),
  calculations: Type.Record(Type.String(), CalculationView, { description: 'each calculation step by step: maxGrant, grantLimit, determination' }),
  history: Type.Array(HistoryView),
});

export const ExternalAwardView = Type.Object({
  id: Type.String(), applicantId: Type.String(), programYearId: Type.String(), procedure: Type.String(), body: Type.String(),
  amountJpy: Type.Integer(), awardedOn: Type.String(), reference: Nullable(Type.String()), recordedBy: Type.String(), createdAt: Type.String(),
});
