import nodemailer from 'nodemailer';
import { RecipientRejectedError, type MailMessage, type Mailer } from './mailer';

export interface SmtpMailer extends Mailer {
  close(): void;
}

export interface SmtpMailerOptions {
  /** Bounds each wait (connect, greeting, every reply) so a stuck server fails the attempt instead of hanging it. */
  timeoutMs?: number;
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  permanent?: boolean;
}

function isPermanentRecipientRejection(error: SmtpError): boolean {
  return error.code === 'EENVELOPE' && error.command === 'RCPT TO' && error.permanent === true;
}

/** A Mailer over SMTP, e.g. `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://...:465`. */
export function createSmtpMailer(smtpUrl: string, options: SmtpMailerOptions = {}): SmtpMailer {
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
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });

  return {
    async send(message: MailMessage): Promise<void> {
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
        if (error instanceof Error && isPermanentRecipientRejection(error as SmtpError)) {
          throw new RecipientRejectedError(`${message.to} was refused by the mail server: ${error.message}`, {
            cause: error,
          });
        }
        throw error;
      }
    },
    close(): void {
      transport.close();
    },
  };
}
