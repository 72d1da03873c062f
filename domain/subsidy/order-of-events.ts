// The order a case's dates must keep: decided on or after its receipt, paid on or after its
// decision. The API checks them against the row before it sends a command, the workflow
// again under its lock; both call these.
import { DomainError } from '../errors.js';

export function assertDecidedAfterReceipt(decidedAt: number, receivedAt: number): void {
  if (decidedAt < receivedAt) throw new DomainError('bad_request', 'decidedAt may not be before receivedAt', [{ path: 'body/decidedAt', message: 'is before receivedAt' }]);
}

export function assertPaidAfterDecision(paidAt: number, decidedAt: number | null): void {
  if (decidedAt !== null && paidAt < decidedAt) throw new DomainError('bad_request', 'paidAt may not be before the decision', [{ path: 'body/paidAt', message: 'is before decidedAt' }]);
}
