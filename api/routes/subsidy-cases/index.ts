import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// Subsidy cases (Program A): api.md → Subsidy cases.
const routes: FastifyPluginAsyncTypebox = async () => {};
export default routes;
