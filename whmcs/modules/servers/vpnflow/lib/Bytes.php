<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** vpnflow counts bytes as decimal strings; GB here is 10^9 bytes, as vpnflow sells it. */
final class Bytes
{
    public static function gb(string|int|null $bytes): string
    {
        if ($bytes === null || !preg_match('/^-?\d+$/', (string) $bytes)) {
            return '';
        }
        return number_format(((int) $bytes) / 1e9, 2, '.', '');
    }
}
