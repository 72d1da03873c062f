// The one way an activity changes a case: one transaction that locks the case's row and
// reads the command's receipt in the same statement, and — unless the receipt is there (a
// retried activity) — applies the change, writes its history row with the actor (the
// receipt itself) and rebuilds the case's stored view, so a GET right after shows it.
// Refusals of the rules or of the database fail for good (../failures.ts).
import type { Db, Trx } from '../../db/database.js';
import { recordHistory } from '../../db/history.js';
import { ruleRefusalsAreFinal } from '../failures.js';

/** Who did what to which case, and when: unique per command by its event key. */
export interface Receipt {
  caseId: string;
  /** The command's receipt: `<entity>:<caseId>:<update id>`, or a system event's own key. */
  eventKey: string;
  actor: string;
  /** When the command was accepted (RFC 3339, the API's clock). */
  at: string;
}

export interface CaseTable<Row> {
  /** The `history.entity_type` of this kind of case. */
  entityType: string;
  /** Lock the row (FOR UPDATE) and say whether `eventKey` is already recorded, in one round trip. */
  lock(trx: Trx, caseId: string, eventKey: string): Promise<{ row: Row; done: boolean } | undefined>;
  /** Rebuild the stored view after a change, in the same transaction. */
  refreshView(trx: Trx, caseId: string): Promise<unknown>;
}

export function caseTransactions<Row>(db: Db, table: CaseTable<Row>) {
  return {
    /** One command on one case; `replay` answers a retry from what the first attempt wrote. */
    onCase<T>(receipt: Pick<Receipt, 'caseId' | 'eventKey'>, apply: (trx: Trx, row: Row) => Promise<T>, replay: (trx: Trx, row: Row) => Promise<T> | T): Promise<T> {
      return ruleRefusalsAreFinal(() => db.transaction().execute(async (trx) => {
        const locked = await table.lock(trx, receipt.caseId, receipt.eventKey);
        if (!locked) throw new Error(`${table.entityType} ${receipt.caseId} has no row`);
        if (locked.done) return replay(trx, locked.row);
        const result = await apply(trx, locked.row);
        await table.refreshView(trx, receipt.caseId);
        return result;
      }));
    },

    /** The command's history row, keyed by its receipt. */
    history(trx: Trx, r: Receipt, type: string, fromStatus: string | null, toStatus: string | null, detail: Record<string, unknown> = {}): Promise<void> {
      return recordHistory(trx, { entityType: table.entityType, entityId: r.caseId, at: new Date(r.at), type, actor: r.actor, fromStatus, toStatus, detail, eventKey: r.eventKey });
    },
  };
}
