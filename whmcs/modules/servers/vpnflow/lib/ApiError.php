<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** vpnflow answered with its error shape `{"error":{"code","message","details"?}}`, or with no JSON at all. */
final class ApiError extends \RuntimeException
{
    /** Codes worth trying again later without anyone changing anything. */
    private const TRANSIENT_CODES = ['worker_unavailable', 'request_in_progress', 'replayed_request', 'service_not_found'];

    public function __construct(
        public readonly int $status,
        public readonly string $errorCode,
        string $message,
        public readonly mixed $details = null,
    ) {
        parent::__construct($message);
    }

    public static function fromResponse(HttpResponse $response): self
    {
        $decoded = json_decode($response->body, true);
        $error = is_array($decoded) && is_array($decoded['error'] ?? null) ? $decoded['error'] : null;
        if ($error === null || !is_string($error['code'] ?? null)) {
            return new self($response->status, 'bad_response', mb_substr($response->body, 0, 200));
        }
        return new self(
            $response->status,
            $error['code'],
            is_string($error['message'] ?? null) ? $error['message'] : '',
            $error['details'] ?? null,
        );
    }

    /**
     * Whether a later attempt can succeed on its own: server errors, a missing worker, and a service
     * that does not exist yet (its create may still be queued). Authentication errors count too: an
     * operator fixes the secret or the clock, and the next attempt goes through; so does a block
     * after too many of them (429), which lifts by itself.
     */
    public function transient(): bool
    {
        return $this->status >= 500 || in_array($this->status, [401, 429], true)
            || in_array($this->errorCode, self::TRANSIENT_CODES, true);
    }
}
