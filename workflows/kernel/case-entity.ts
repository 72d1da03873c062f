// The skeleton every case type's workflow is built on (the shape of temporalio's
// `safe-message-handlers`): the state lives in one class with one method per command, the
// workflow function only registers the handlers and runs the waits.
//
// A command is an Update whose validator refuses synchronously (the status table, then the
// command's own check) and whose handler runs under the case's mutex, checks again (an
// earlier command may have changed the case meanwhile) and applies: one activity, then the
// state. Its receipt is its Update id — derived by the API from the caller's Idempotency-Key
// — so a retry that reaches a later run after continue-as-new is answered from
// `doneUpdates` instead of running again, and its activity finds the receipt in PostgreSQL.
//
// One clock: every command carries the API's clock (`meta.at`, app.deps.clock) and a case
// measures its deadlines on that clock, timing its waits by the offset between it and
// Temporal's, as of the last command: 0 in production, where both read the system time;
// years in a test whose API clock is fixed in FY2024, so a seeded year can be driven end to
// end, and a read (which uses the API clock) agrees with what the timers write.
import { Mutex } from 'async-mutex';
import { condition, currentUpdateInfo, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../../domain/errors.js';
import type { StatusTable } from '../../domain/state-machine.js';
import { parseInstant } from '../../domain/time.js';
import { guard, refusing } from '../failures.js';
import { commandReceipt, type ReceiptEntity } from '../receipts.js';
import { CaseStatus as CaseStatusKey } from '../search-attributes.js';

/** Who issued a command and when the API accepted it (RFC 3339, JST): history rows carry both. */
export interface CommandMeta {
  actor: string;
  at: string;
}

/** What every case carries across continue-as-new besides its own state. */
export interface KernelMemory {
  /** The latest commands' Update ids: a retry of one of them is answered without running it again. */
  doneUpdates: string[];
  /** The API's clock less the workflow's timer clock, as of the last command. */
  clockOffsetMs: number;
}

const REMEMBERED_UPDATES = 100;
/** A command whose clock differs from the last by more than this re-times the waits. */
const SIGNIFICANT_CLOCK_SHIFT_MS = 1000;

export const emptyMemory = (): KernelMemory => ({ doneUpdates: [], clockOffsetMs: 0 });

export function instantOf(text: string): number {
  const ms = parseInstant(text);
  if (ms === null) throw new DomainError('bad_request', `${text} is not an RFC 3339 instant`);
  return ms;
}

export abstract class CaseEntity<S extends string, C extends string> {
  private readonly mutex = new Mutex();
  protected memory: KernelMemory;

  protected constructor(private readonly receiptEntity: ReceiptEntity, protected readonly statusTable: StatusTable<S, C>, memory?: Partial<KernelMemory>) {
    this.memory = { ...emptyMemory(), ...memory };
  }

  /** null before the case's first command (intake) has recorded it. */
  status: S | null = null;

  abstract get id(): string;

  /** The system's clock (the API's): what deadlines are measured on. */
  now(): number {
    return Date.now() + this.memory.clockOffsetMs;
  }

  /** Commands and timer firings run one at a time, each re-checking its rule under the lock. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex.runExclusive(fn);
  }

  /** Something runs or waits for the lock: not the moment to continue-as-new. */
  get busy(): boolean {
    return this.mutex.isLocked();
  }

  isFinal(): boolean {
    return this.status !== null && this.statusTable.isFinal(this.status);
  }

  protected moveTo(status: S): void {
    this.status = status;
    if (statusIsSearchAttribute()) upsertSearchAttributes([{ key: CaseStatusKey, value: status }]);
  }

  protected followClock(at: string): void {
    this.memory.clockOffsetMs = instantOf(at) - Date.now();
  }

  /**
   * Wait until the system clock reads `at` (never, if infinite), or until `changed()` —
   * or a command moves the system clock against the timers (a test's fixed clock set
   * forward, say). True when it woke for a change rather than the time.
   */
  protected async waitUntil(at: number, changed: () => boolean): Promise<boolean> {
    const offset = this.memory.clockOffsetMs;
    const woken = () => changed() || Math.abs(this.memory.clockOffsetMs - offset) > SIGNIFICANT_CLOCK_SHIFT_MS;
    if (!Number.isFinite(at)) {
      await condition(woken);
      return true;
    }
    const wait = at - this.now();
    if (wait <= 0) return woken();
    return condition(woken, wait);
  }

  /** Register a command: see the file's head. */
  protected command<A extends { meta: CommandMeta }>(def: UpdateDefinition<void, [A]>, name: C, check: (arg: A) => void, apply: (arg: A, receipt: string) => Promise<void>): void {
    const validate = (arg: A): void => {
      if (this.status === null) throw new DomainError('invalid_state', `${name} is not allowed before the case is recorded`);
      this.statusTable.assertCommandAllowed(name, this.status);
      check(arg);
    };
    const done = (id: string): boolean => this.memory.doneUpdates.includes(id);
    setHandler(def, (arg: A) => {
      const id = updateId();
      return refusing(() => this.exclusive(async () => {
        if (done(id)) return;
        validate(arg);
        this.followClock(arg.meta.at);
        await apply(arg, commandReceipt(this.receiptEntity, this.id, id));
        this.remember(id);
      }));
    }, { validator: (arg: A) => guard(() => { if (!done(updateId())) validate(arg); }) });
  }

  protected remember(id: string): void {
    this.memory.doneUpdates = [...this.memory.doneUpdates, id].slice(-REMEMBERED_UPDATES);
  }
}

/**
 * A case's status lives in PostgreSQL (its row, its lists, the metrics); copying it into a
 * search attribute on every command cost the Temporal server a visibility write per command,
 * about a quarter of its work on a case (npm run bench, part p). Runs started before this
 * release recorded those upserts in their histories and keep making them on replay.
 */
export const statusIsSearchAttribute = (): boolean => !patched('status-in-postgresql-only');

export const updateId = (): string => currentUpdateInfo()?.id ?? workflowInfo().runId;
