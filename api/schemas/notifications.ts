import { Type } from '@sinclair/typebox';
import { ListQuery, literals } from './common.js';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const NotificationView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  caseId: Nullable(Type.String()),
  recipient: Type.String({ description: 'As queued: an e-mail address, `applicant:<id>`, `expert:<id>` or `staff`' }),
  address: Nullable(Type.String({ description: 'The e-mail address it was sent to (null until the first attempt)' })),
  subject: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  status: literals(NOTIFICATION_STATUSES),
  attempts: Type.Integer(),
  sentAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ description: 'When a pending notice is tried next' })),
});

export const NotificationListQuery = Type.Object({
  ...ListQuery,
  recipient: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  kind: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(literals(NOTIFICATION_STATUSES)),
  caseId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
}, { additionalProperties: false });
