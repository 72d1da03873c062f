// Schemas reused across routes.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** One of a list of strings (typed as string: rows carry plain strings; the schema holds the list). */
export const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id });
/** RFC 3339 with an explicit offset; the route checks it names a real instant. */
export const Instant = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$', examples: ['2024-08-20T10:00:00+09:00'] });
export const CalendarDate = Type.String({ maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2024-08-20'] });
export const Yen = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'Whole yen' });
export const NonEmpty = (maxLength = 500) => Type.String({ minLength: 1, maxLength });

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export const Problem = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), detail: Type.String(), code: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
}, { $id: 'Problem' });

export const listOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed or schema-invalid request', 401: 'No or bad bearer token', 403: 'Role or engagement not allowed', 404: 'Unknown id',
  409: '`invalid_state` or `conflict`', 413: 'Too large', 415: 'Unsupported media type', 422: 'A business rule says no (see `code`)',
  503: 'PostgreSQL or Temporal cannot be reached; retry after `Retry-After` seconds',
};

/** An error answer as served: problem+json (api.md → Conventions → Errors). */
export const problemResponse = (status: number) => ({
  description: PROBLEM_DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
});

/** The error answers every authenticated route may give, for the spec. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries([...new Set([400, 401, 403, ...statuses, 503])].map((s) => [s, problemResponse(s)]));

export type ListQueryT = { limit?: number; cursor?: string };
export type IdParamsT = Static<typeof IdParams>;
