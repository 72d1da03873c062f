import { Type } from '@sinclair/typebox';
import { ListQuery, literals } from './common.js';
import { WEBHOOK_EVENT_TYPES } from '../../db/webhooks.js';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

export const WebhookCreate = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'http(s) URL; it must resolve to a public address (loopback, private and link-local are refused at delivery)', examples: ['https://example.jp/hooks/ip-support'] }),
  events: Type.Array(literals(WEBHOOK_EVENT_TYPES), { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
  description: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
}, { additionalProperties: false });

export const WebhookView = Type.Object({
  id: Type.String(), url: Type.String(), events: Type.Array(Type.String()), description: Nullable(Type.String()), createdAt: Type.String(),
});

export const WebhookCreated = Type.Object({
  ...WebhookView.properties,
  secret: Type.String({ description: '`whsec_<base64 key>`: verify each delivery with it (Standard Webhooks). Shown only here, once.' }),
});

export const WebhookDeliveryView = Type.Object({
  id: Type.String(), eventId: Type.String(), eventType: Type.String(),
  status: literals(['pending', 'delivered', 'failed'] as const),
  attempts: Type.Integer(), lastStatusCode: Nullable(Type.Integer()), nextAttemptAt: Nullable(Type.String()),
  lastError: Nullable(Type.String()), createdAt: Type.String(), deliveredAt: Nullable(Type.String()),
});

export const WebhookListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });
