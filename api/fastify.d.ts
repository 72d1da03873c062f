import type { Actor, AppDeps, Role } from './deps.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent = any authenticated role. */
    roles?: Role[];
    /** No token needed (health, docs). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}
