// `npm start` without SMTP_URL: an SMTP server on 127.0.0.1 that keeps every message as an
// .eml file (open it with any mail client) under DATA_DIR/mail/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface LocalMailbox {
  dir: string;
  port: number;
  stop(): Promise<void>;
}

export async function startLocalMailbox(options: { dir: string; port: number; host?: string; log?: (line: string) => void }): Promise<LocalMailbox> {
  mkdirSync(options.dir, { recursive: true });
  let seq = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: 10 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        try {
          const to = session.envelope.rcptTo.map((r) => r.address).join(',').replace(/[^\w.@+-]/g, '_').slice(0, 80);
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++seq}-${to}.eml`;
          writeFileSync(join(options.dir, name), Buffer.concat(chunks));
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => { server.off('error', reject); resolve(); });
  });
  server.on('error', (error) => options.log?.(`local mailbox: ${error.message}`));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { dir: options.dir, port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
