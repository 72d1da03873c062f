// The baselines for GET /subsidy-cases/{id}: bare Fastify and one pg select by id, nothing else —
// the row as pg parses it (/bare), and the very document the API serves, the stored view as
// JSON text (/view), so the ratio against it prices only what the API adds (auth, scope, headers).
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig, requireSetting } from '../../runtime/config.js';

const config = loadConfig();
const pool = new pg.Pool({ connectionString: requireSetting(config.databaseUrl, 'DATABASE_URL'), max: 10 });
const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/bare/:id', async (request, reply) => {
  const { rows } = await pool.query('select * from subsidy_cases where id = $1', [request.params.id]);
  if (rows.length === 0) return reply.code(404).send({});
  return rows[0];
});
app.get<{ Params: { id: string } }>('/view/:id', async (request, reply) => {
  const { rows } = await pool.query<{ view: string }>('select view::text as view from subsidy_case_views where case_id = $1', [request.params.id]);
  if (rows.length === 0) return reply.code(404).send({});
  return reply.type('application/json; charset=utf-8').send(rows[0]!.view);
});
await app.listen({ port: config.port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
