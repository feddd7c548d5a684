import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * The development stand-in for a mail server: accepts every message on SMTP_URL's port, saves it as
 * an .eml file (open it in any mail program) and reports recipient and subject, so the customer
 * notices the worker sends in `npm run dev` can be seen.
 */
export async function startMailCatcher(options: {
  host: string;
  port: number;
  directory: string;
  report: (line: string) => void;
}): Promise<{ close(): Promise<void> }> {
  await mkdir(options.directory, { recursive: true });
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    size: 10 * 1024 * 1024,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'dev' }),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        received += 1;
        const file = path.join(options.directory, `${Date.now()}-${received}.eml`);
        Promise.all([simpleParser(raw), writeFile(file, raw)]).then(
          ([mail]) => {
            const to = session.envelope.rcptTo.map((recipient) => recipient.address).join(', ');
            options.report(`to ${to}: ${mail.subject ?? '(no subject)'} — ${file}`);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that drops mid-message is the sender's problem, not a reason to stop the stack.
  server.on('error', (error: Error) => options.report(`connection error: ${error.message}`));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
