import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// Brand engagements (Program B): api.md → Brand engagements.
const routes: FastifyPluginAsyncTypebox = async () => {};
export default routes;
