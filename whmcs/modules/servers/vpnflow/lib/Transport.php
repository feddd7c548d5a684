<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/** Sends one request; tests wrap the real one to watch or break the wire. */
interface Transport
{
    /** @throws TransportFailure when no HTTP answer arrived (DNS, refused, TLS, timeout) */
    public function send(HttpRequest $request): HttpResponse;
}
