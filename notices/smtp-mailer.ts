import nodemailer from 'nodemailer';
import { DeliveryUncertainError, RecipientRejectedError, type MailMessage, type Mailer } from './mailer';

export interface SmtpMailerOptions {
  /** Bounds each wait (connect, greeting, every reply) so a stuck server fails the attempt instead of hanging it. */
  timeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  permanent?: boolean;
}

/**
 * A nodemailer logger that only notices the server's 354 reply to DATA: from then on the message is
 * on its way, and a failure without a refusal from the server leaves its delivery unknown. (The
 * errors nodemailer raises for a dropped connection name no SMTP step, so they cannot tell.)
 */
function messageHandoverWatch() {
  const watch = { handedOver: false, logger: {} as Record<string, (...args: unknown[]) => void> };
  for (const level of ['trace', 'info', 'warn', 'error', 'fatal']) watch.logger[level] = () => {};
  watch.logger.debug = (entry: unknown, text: unknown) => {
    if ((entry as { tnx?: string } | null)?.tnx === 'server' && /^354\b/.test(String(text))) {
      watch.handedOver = true;
    }
  };
  return watch;
}

function isPermanentRecipientRejection(error: SmtpError): boolean {
  return error.code === 'EENVELOPE' && error.command === 'RCPT TO' && error.permanent === true;
}

/** A Mailer over SMTP, e.g. `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://...:465`. */
export function createSmtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): Mailer {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error(`SMTP_URL is not a URL: ${smtpUrl}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${url.protocol}//`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    async send(message: MailMessage): Promise<void> {
      // A transport per message, so that its log tells this message's progress and no other's.
      const watch = messageHandoverWatch();
      const transport = nodemailer.createTransport({
        url: smtpUrl,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
        debug: true,
        logger: watch.logger,
      } as Parameters<typeof nodemailer.createTransport>[0]);
      try {
        await transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: message.messageId,
          headers: message.headers,
        });
      } catch (error) {
        const smtpError = error as SmtpError;
        if (error instanceof Error && isPermanentRecipientRejection(smtpError)) {
          throw new RecipientRejectedError(`${message.to} was refused by the mail server: ${error.message}`, {
            cause: error,
          });
        }
        if (error instanceof Error && watch.handedOver && smtpError.responseCode === undefined) {
          throw new DeliveryUncertainError(`the mail server did not confirm the message: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      } finally {
        transport.close();
      }
    },
  };
}
