import type { Db } from '../db/database.js';
import type { Clock } from '../domain/time.js';

/** What activities need from outside; tests pass their own clock and database. */
export interface ActivityDeps {
  db: Db;
  clock: Clock;
}
