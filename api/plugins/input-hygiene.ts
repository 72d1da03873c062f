// Text PostgreSQL cannot store (U+0000) or that is not Unicode at all (a lone surrogate) is
// refused with 400 in one place, for every route, before any schema, handler or workflow
// sees it: otherwise it reaches a text column or a Temporal payload and fails there, late
// and as a 500, or an activity retries it forever.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../problem.js';

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is looked for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string (or object key) that cannot be stored, or null. Iterative: a body may nest deeply. */
export function unstorableTextPath(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}/${i}`]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        // eslint-disable-next-line no-control-regex -- the path names the key without the bad text
        if (UNSTORABLE.test(k)) return `${path}/${k.replace(/[\u0000\ud800-\udfff]/g, '\ufffd')}`;
        stack.push([child, `${path}/${k}`]);
      }
    }
  }
  return null;
}

export default fp(async function inputHygiene(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
      const path = unstorableTextPath(value, part);
      if (path !== null) {
        throw badRequest(`The request ${part} contains text that cannot be stored`, [{ path, message: 'must not contain U+0000 or a lone surrogate (not valid Unicode text)' }]);
      }
    }
  });
});
