<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** One HTTP exchange as it goes on the wire: the signature covers exactly these bytes. */
final class HttpRequest
{
    /**
     * @param list<string> $headers "Name: value" lines
     */
    public function __construct(
        public readonly string $method,
        public readonly string $url,
        public readonly array $headers,
        public readonly string $body,
        public readonly int $timeoutSeconds,
        public readonly int $connectTimeoutSeconds,
    ) {
    }

    public function header(string $name): ?string
    {
        foreach ($this->headers as $line) {
            [$key, $value] = explode(':', $line, 2);
            if (strcasecmp(trim($key), $name) === 0) {
                return trim($value);
            }
        }
        return null;
    }
}
