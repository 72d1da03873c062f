import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import create from './create.js';
import read from './read.js';
import commands from './commands.js';
import visits from './visits.js';
import { expertAccessFirst } from './access.js';

// Expert dispatch (Program C): api.md → Program C → Expert dispatch. One file per kind of operation.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preValidation', expertAccessFirst(app));
  await app.register(create);
  await app.register(read);
  await app.register(commands);
  await app.register(visits);
};
export default routes;
