// A real SMTP server in the test process (smtp-server), keeping what arrived parsed
// (mailparser); it can be told to refuse for a while.
import { afterAll } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface TestSmtp {
  port: number;
  messages: ParsedMail[];
  /** The next `n` messages are refused with a 451 (try again later). */
  refuseNext(n: number): void;
  refused: number;
  /** Each message is answered after `ms` (a slow server: work in flight when a dispatcher dies). */
  slow(ms: number): void;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const state = { refuse: 0, refused: 0, delayMs: 0 };
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refuse > 0) {
          state.refuse--;
          state.refused++;
          const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          callback(error);
          return;
        }
        const accept = () => simpleParser(Buffer.concat(chunks)).then((m) => { messages.push(m); callback(); }, (e: Error) => callback(e));
        if (state.delayMs > 0) setTimeout(() => void accept(), state.delayMs);
        else void accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const harness: TestSmtp = {
    port, messages,
    refuseNext: (n) => { state.refuse = n; },
    get refused() { return state.refused; },
    slow: (ms) => { state.delayMs = ms; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return harness;
}

/** An SMTP server closed after the file's tests. */
export async function useTestSmtp(): Promise<TestSmtp> {
  const smtp = await startTestSmtp();
  afterAll(() => smtp.close());
  return smtp;
}
