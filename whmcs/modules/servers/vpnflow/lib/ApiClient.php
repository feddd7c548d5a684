<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The signed vpnflow API client. Every request carries X-Vpnflow-Timestamp, a fresh X-Vpnflow-Nonce
 * and X-Vpnflow-Signature, the hex HMAC-SHA256 with the shared secret over
 * `timestamp \n nonce \n METHOD \n path-with-query \n body`: the path as vpnflow serves it (`/v1/...`
 * with the query string), without the server record's path prefix, which a reverse proxy in front of
 * vpnflow strips; the body exactly the bytes sent.
 *
 * A transport failure is retried once with a new nonce and timestamp and, for commands, the same
 * Idempotency-Key, so a command that did reach vpnflow the first time is answered, not repeated.
 */
final class ApiClient
{
    public const CONNECT_TIMEOUT = 3;
    /** vpnflow answers a command "queued" after 10 s when the router does not answer. */
    public const COMMAND_TIMEOUT = 15;
    /** Page views must stay fast when vpnflow is slow or down. */
    public const PAGE_TIMEOUT = 3;

    private const JSON_FLAGS = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE
        | JSON_THROW_ON_ERROR | JSON_FORCE_OBJECT;

    /** @var \Closure(): int */
    private readonly \Closure $clock;

    /** @param (\Closure(): int)|null $clock Unix seconds */
    public function __construct(
        public readonly ServerRecord $server,
        private readonly Transport $transport = new CurlTransport(),
        ?\Closure $clock = null,
    ) {
        $this->clock = $clock ?? static fn (): int => time();
    }

    /**
     * @param array<string, string|int> $query
     * @throws ApiError|TransportFailure
     */
    public function read(string $path, array $query = [], int $timeoutSeconds = self::PAGE_TIMEOUT): ApiResponse
    {
        $pathWithQuery = $path . ($query === [] ? '' : '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986));
        return $this->exchange('GET', $pathWithQuery, '', [], $timeoutSeconds);
    }

    /**
     * POSTs a JSON object. Request bodies hold objects only, never lists, so an empty settings group
     * still goes out as `{}`.
     *
     * @param array<string, mixed> $body
     * @throws ApiError|TransportFailure
     */
    public function send(
        string $path,
        array $body,
        ?string $idempotencyKey,
        int $timeoutSeconds = self::COMMAND_TIMEOUT,
    ): ApiResponse {
        $json = json_encode($body, self::JSON_FLAGS);
        $headers = ['Content-Type: application/json; charset=utf-8'];
        if ($idempotencyKey !== null) {
            $headers[] = 'Idempotency-Key: ' . $idempotencyKey;
        }
        return $this->exchange('POST', $path, $json, $headers, $timeoutSeconds);
    }

    /** @param list<string> $headers */
    private function exchange(string $method, string $path, string $body, array $headers, int $timeoutSeconds): ApiResponse
    {
        // Signed as vpnflow receives it: a proxy under the server record's path prefix strips the prefix.
        $url = $this->server->baseUrl() . $path;
        $secrets = [$this->server->secret];
        try {
            $response = $this->attempt($method, $url, $path, $body, $headers, $timeoutSeconds);
        } catch (TransportFailure $first) {
            try {
                $response = $this->attempt($method, $url, $path, $body, $headers, $timeoutSeconds);
            } catch (TransportFailure $second) {
                ModuleLog::call("$method $path", self::decoded($body), $second->getMessage(), 'unreachable', $secrets);
                throw $second;
            }
        }
        $decoded = json_decode($response->body, true);
        ModuleLog::call(
            "$method $path",
            self::decoded($body),
            is_array($decoded) ? $decoded : $response->body,
            "HTTP {$response->status}",
            $secrets,
        );
        if ($response->status < 200 || $response->status >= 300) {
            throw ApiError::fromResponse($response);
        }
        if (!is_array($decoded)) {
            throw new ApiError($response->status, 'bad_response', mb_substr($response->body, 0, 200));
        }
        return new ApiResponse($response->status, $decoded);
    }

    /** @param list<string> $headers */
    private function attempt(
        string $method,
        string $url,
        string $signedPath,
        string $body,
        array $headers,
        int $timeoutSeconds,
    ): HttpResponse {
        $timestamp = (string) ($this->clock)();
        $nonce = bin2hex(random_bytes(16));
        $signature = hash_hmac('sha256', "$timestamp\n$nonce\n$method\n$signedPath\n$body", $this->server->secret);
        $signed = array_merge($headers, [
            'Accept: application/json',
            'X-Vpnflow-Timestamp: ' . $timestamp,
            'X-Vpnflow-Nonce: ' . $nonce,
            'X-Vpnflow-Signature: ' . $signature,
        ]);
        return $this->transport->send(
            new HttpRequest($method, $url, $signed, $body, $timeoutSeconds, self::CONNECT_TIMEOUT),
        );
    }

    private static function decoded(string $body): mixed
    {
        return $body === '' ? '' : json_decode($body, true);
    }
}
