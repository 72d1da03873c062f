// From a verified token's claims to the actor a route sees. Our own HS256 tokens carry `sub`
// and `role` as api.md says; an identity provider puts the role where it likes (Keycloak:
// `realm_access.roles`, Entra ID: `roles`, Auth0: a namespaced claim), often as a list of
// its own names, so where to look and how names map is configuration.
import type { Actor, Role } from '../deps.js';
import { ROLES } from '../../runtime/config.js';

export interface ClaimRules {
  /** A claim name or a dotted path into nested claims. */
  roleClaim: string;
  subjectClaim: string;
  /** The provider's role name → ours; absent: the claim holds our names. */
  roleMap?: Record<string, Role> | undefined;
}

/** Our own tokens (`npm run token`, tests): `sub` and `role` as they are. */
export const OWN_CLAIMS: ClaimRules = { roleClaim: 'role', subjectClaim: 'sub' };

/**
 * A claim by its whole name first (Auth0's namespaced claims are URLs with dots in them:
 * `https://ip-support.example.jp/roles`), else by walking the dotted path.
 */
function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A person with several of our roles acts with the broadest (staff before support leader
 * before expert, the order of ROLES): a token names one actor, and the routes check one role.
 */
function roleOf(value: unknown, roleMap: ClaimRules['roleMap']): Role | null {
  const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const ours = new Set(names.map((name) => (roleMap ? (Object.hasOwn(roleMap, name) ? roleMap[name] : undefined) : name)));
  return ROLES.find((role) => ours.has(role)) ?? null;
}

/** The actor, or null when the token names no user or none of our roles. */
export function actorFromClaims(claims: Record<string, unknown>, rules: ClaimRules): Actor | null {
  // Where the provider keeps our expert id in a claim of its own (a user attribute), staff
  // have none: their id is the token's `sub`.
  const id = claimAt(claims, rules.subjectClaim) ?? claims.sub;
  const role = roleOf(claimAt(claims, rules.roleClaim), rules.roleMap);
  if (typeof id !== 'string' || id === '' || role === null) return null;
  return { id, role, ...(typeof claims.name === 'string' ? { name: claims.name } : {}) };
}
