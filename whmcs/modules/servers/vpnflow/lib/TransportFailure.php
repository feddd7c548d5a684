<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** No HTTP answer came back from vpnflow: the message is curl's, the URL the one that was tried. */
final class TransportFailure extends \RuntimeException
{
    public function __construct(public readonly string $url, string $error)
    {
        parent::__construct($error);
    }
}
