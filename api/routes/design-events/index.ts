import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import create from './create.js';
import read from './read.js';
import commands from './commands.js';
import registrations from './registrations.js';

// Design-management seminars and workshops (Program C): api.md → Program C → Events. Staff only.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(create);
  await app.register(read);
  await app.register(commands);
  await app.register(registrations);
};
export default routes;
