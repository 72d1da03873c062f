import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import create from './create.js';
import read from './read.js';
import commands from './commands.js';
import sessions from './sessions.js';
import mySessions from './my-sessions.js';
import { leaderAccessFirst } from './leader-first.js';

// Brand engagements (Program B): api.md → Brand engagements. One file per kind of operation.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preValidation', leaderAccessFirst(app));
  await app.register(create);
  await app.register(read);
  await app.register(commands);
  await app.register(sessions);
  await app.register(mySessions);
};
export default routes;
