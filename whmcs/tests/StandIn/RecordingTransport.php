<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

use WHMCS\Module\Server\Vpnflow\HttpRequest;
use WHMCS\Module\Server\Vpnflow\HttpResponse;
use WHMCS\Module\Server\Vpnflow\Transport;
use WHMCS\Module\Server\Vpnflow\TransportFailure;

/** Keeps every request and plays the given outcomes in turn: a response, or null for "no answer". */
final class RecordingTransport implements Transport
{
    /** @var list<HttpRequest> */
    public array $requests = [];

    /** @param list<HttpResponse|Transport|null> $outcomes a Transport passes the request on to it */
    public function __construct(private array $outcomes)
    {
    }

    public function send(HttpRequest $request): HttpResponse
    {
        $this->requests[] = $request;
        $outcome = array_shift($this->outcomes);
        if ($outcome instanceof Transport) {
            return $outcome->send($request);
        }
        if ($outcome === null) {
            throw new TransportFailure($request->url, 'Connection reset by peer');
        }
        return $outcome;
    }
}
