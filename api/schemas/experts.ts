import { Type } from '@sinclair/typebox';
import { ListQuery } from './common.js';

export const ExpertCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  organization: Type.String({ minLength: 1, maxLength: 200 }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
}, { additionalProperties: false });

export const ExpertView = Type.Object({
  id: Type.String(), name: Type.String(), organization: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
});

export const ExpertListQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });
