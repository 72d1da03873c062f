// A dispatcher in a process of its own, for mail.test.ts to SIGKILL: node --import tsx this <database url> <smtp port>.
import { createDatabase } from '../../db/database.js';
import { createMailDispatcher } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';

const [url, port] = process.argv.slice(2);
const database = createDatabase({ url: url!, poolSize: 4 });
const transport = createMailTransport({ host: '127.0.0.1', port: Number(port) });
createMailDispatcher({ db: database.db, transport, from: 'noreply@example.jp', staffEmail: 'staff@example.jp', batchSize: 10, leaseMs: 1_000, idleMs: 20 }).start();
console.log('dispatching');
