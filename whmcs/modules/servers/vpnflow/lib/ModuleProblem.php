<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** Something WHMCS-side stops the call before it reaches vpnflow; the key names a translated message. */
final class ModuleProblem extends \RuntimeException
{
    /** @param array<string, string|int> $values */
    public function __construct(public readonly string $key, public readonly array $values = [])
    {
        parent::__construct($key);
    }
}
