// The summary of a program year (api.md → Reports and exports): figures only, each part
// present for the program the year belongs to.
import { Type } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0 });
const Jpy = Type.Integer({ minimum: 0, description: 'Whole yen; null amounts count as 0' });
const ByStatus = Type.Record(Type.String(), Count, { description: 'How many are in each status (statuses with none are left out)' });

const SubsidyFigures = {
  count: Count, maxGrantJpy: Jpy, grantLimitJpy: Jpy, determinedJpy: Jpy, disbursedJpy: Jpy,
};

export const ProgramYearSummary = Type.Object({
  programYearId: Type.String(),
  program: Type.String(),
  generatedAt: Type.String({ description: 'When the figures were read (JST)' }),
  subsidyCases: Type.Optional(Type.Object({
    totals: Type.Object(SubsidyFigures),
    byStatus: ByStatus,
    rows: Type.Array(Type.Object({ status: Type.String(), procedure: Type.String(), rightType: Type.String(), ...SubsidyFigures })),
    capUsage: Type.Object({ reservedJpy: Jpy, settledJpy: Jpy }, { description: 'The per-applicant cap ledger of the year; settled includes awards from other bodies' }),
  }, { description: 'Program A' })),
  brandEngagements: Type.Optional(Type.Object({
    byStatus: ByStatus, sessionsHeld: Count, attendees: Count,
    overdueSessions: Type.Integer({ minimum: 0, description: 'Sessions still scheduled past their grace period, as GET shows overdue' }),
  }, { description: 'Program B' })),
  designEvents: Type.Optional(Type.Object({
    byStatus: ByStatus,
    registrations: Type.Integer({ minimum: 0, description: 'Registrations not cancelled (seated or waitlisted)' }),
    attended: Count,
    averageSatisfaction: Type.Union([Type.Number(), Type.Null()], { description: 'Mean of every survey of the year, 2 decimals; null without surveys' }),
  }, { description: 'Program C' })),
  designDispatches: Type.Optional(Type.Object({
    byStatus: ByStatus, visitsHeld: Count, hours: Type.Number({ minimum: 0, description: 'Hours of the visits held' }),
  }, { description: 'Program C' })),
});
