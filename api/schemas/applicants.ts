import { Type } from '@sinclair/typebox';
import { ApplicantKindSchema, ProcedureSchema } from './program-years.js';
import { ListQuery } from './common.js';

export const ApplicantCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: ApplicantKindSchema,
  corporateNumber: Type.Optional(Type.String({ maxLength: 13, pattern: '^\\d{13}$', description: '法人番号, 13 digits with a valid check digit' })),
  prefecture: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
}, { additionalProperties: false });

export const CapUsageSchema = Type.Object({
  programYearId: Type.String(), procedure: ProcedureSchema, capJpy: Type.Integer(), reservedJpy: Type.Integer(), settledJpy: Type.Integer(), remainingJpy: Type.Integer(),
});

export const ApplicantView = Type.Object({
  id: Type.String(), name: Type.String(), kind: ApplicantKindSchema,
  corporateNumber: Type.Union([Type.String(), Type.Null()]), prefecture: Type.Union([Type.String(), Type.Null()]),
  contactEmail: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
  capUsage: Type.Optional(Type.Array(CapUsageSchema)),
});

export const ApplicantListQuery = Type.Object({
  ...ListQuery,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  kind: Type.Optional(ApplicantKindSchema),
}, { additionalProperties: false });
