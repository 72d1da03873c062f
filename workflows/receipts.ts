// The receipt of a command: the history row an activity writes in the same transaction as
// the command's change, keyed by the command's Update id. The workflow writes it; the API
// reads it to learn that a command took effect when Temporal can no longer say (the case's
// workflow has ended, or a later run no longer knows the Update).
export type ReceiptEntity = 'subsidy-case' | 'brand' | 'design-event' | 'design-dispatch';

export const commandReceipt = (entity: ReceiptEntity, id: string, updateId: string): string => `${entity}:${id}:${updateId}`;
