export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<id@domain>`; the same notice always carries the same one, so a repeated send is recognisable. */
  messageId: string;
  headers?: Readonly<Record<string, string>>;
}

export interface Mailer {
  /** Resolves once the SMTP server has accepted the message for delivery. */
  send(message: MailMessage): Promise<void>;
}

/** The server refused the recipient for good (an SMTP 5xx reply to RCPT TO): sending again cannot help. */
export class RecipientRejectedError extends Error {
  override readonly name = 'RecipientRejectedError';
}

/**
 * The attempt failed after the message was handed over and before the server confirmed it (the
 * connection dropped or timed out at the end of DATA): it may have been delivered, so sending again
 * at once could deliver it twice.
 */
export class DeliveryUncertainError extends Error {
  override readonly name = 'DeliveryUncertainError';
}
