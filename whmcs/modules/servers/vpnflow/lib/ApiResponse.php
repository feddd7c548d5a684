<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** A 2xx answer from vpnflow: 200 applied, 201 created, 202 accepted and queued for the router. */
final class ApiResponse
{
    /** @param array<string, mixed> $body */
    public function __construct(public readonly int $status, public readonly array $body)
    {
    }

    public function queued(): bool
    {
        return $this->status === 202;
    }
}
