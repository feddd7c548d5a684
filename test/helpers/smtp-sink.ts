import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  mail: ParsedMail;
}

export interface SmtpSinkBehaviour {
  /** Reply to RCPT TO with this code (e.g. 550) for addresses it returns true for. */
  rejectRecipient?: { when: (address: string) => boolean; responseCode: number };
  /** Reply to the end of DATA with this code (e.g. 451) instead of accepting the message. */
  failDataWith?: number;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  behaviour: SmtpSinkBehaviour;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}

/** A real SMTP server on a free loopback port that parses what it receives; `behaviour` can change mid-test. */
export async function startSmtpSink(behaviour: SmtpSinkBehaviour = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      const rejection = behaviour.rejectRecipient;
      if (rejection?.when(address.address)) {
        callback(smtpError(`<${address.address}>: mailbox unavailable`, rejection.responseCode));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const failure = behaviour.failDataWith;
      if (failure !== undefined) {
        drain(stream).then(
          () => callback(smtpError('try again later', failure)),
          (error: Error) => callback(error),
        );
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    behaviour,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
