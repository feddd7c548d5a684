<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use PHPUnit\Framework\TestCase;
use Vpnflow\Tests\StandIn\RecordingTransport;
use WHMCS\Module\Server\Vpnflow\ApiClient;
use WHMCS\Module\Server\Vpnflow\ApiError;
use WHMCS\Module\Server\Vpnflow\HttpRequest;
use WHMCS\Module\Server\Vpnflow\HttpResponse;
use WHMCS\Module\Server\Vpnflow\ServerRecord;
use WHMCS\Module\Server\Vpnflow\TransportFailure;

/** The exact bytes on the wire, without a network: what the server record and the signature make of a call. */
final class ApiClientTest extends TestCase
{
    private const SECRET = 'shared-secret-for-unit-tests';
    private const NOW = 1_800_000_000;

    private function client(RecordingTransport $transport, string $hostname = 'api.example.net/vpnflow/', bool $secure = true): ApiClient
    {
        $server = ServerRecord::fromParams([
            'serverhostname' => $hostname,
            'serverip' => '192.0.2.10',
            'serverport' => $secure ? '8443' : '',
            'serversecure' => $secure,
            'serverusername' => '3',
            'serverpassword' => self::SECRET,
        ]);
        return new ApiClient($server, $transport, static fn () => self::NOW);
    }

    private static function ok(array $body = ['ok' => true], int $status = 200): HttpResponse
    {
        return new HttpResponse($status, json_encode($body));
    }

    private function assertSignedOver(HttpRequest $request, string $method, string $path, string $body): void
    {
        $timestamp = $request->header('X-Vpnflow-Timestamp');
        $nonce = $request->header('X-Vpnflow-Nonce');
        $this->assertSame((string) self::NOW, $timestamp);
        $this->assertMatchesRegularExpression('/^[A-Za-z0-9_-]{16,64}$/', $nonce);
        $this->assertSame(
            hash_hmac('sha256', "$timestamp\n$nonce\n$method\n$path\n$body", self::SECRET),
            $request->header('X-Vpnflow-Signature'),
        );
    }

    public function testAGetGoesUnderThePrefixAndIsSignedOverThePathVpnflowServesWithTheQueryString(): void
    {
        $transport = new RecordingTransport([self::ok()]);
        $this->client($transport)->read('/v1/whmcs/routers/3', ['probe' => 1]);
        $request = $transport->requests[0];
        $this->assertSame('GET', $request->method);
        $this->assertSame('https://api.example.net:8443/vpnflow/v1/whmcs/routers/3?probe=1', $request->url);
        $this->assertSame('', $request->body);
        // The proxy under /vpnflow strips it: vpnflow verifies the path it receives.
        $this->assertSignedOver($request, 'GET', '/v1/whmcs/routers/3?probe=1', '');
    }

    public function testAPostIsSignedOverTheUtf8JsonBytesItSends(): void
    {
        $transport = new RecordingTransport([self::ok()]);
        $this->client($transport)->send('/v1/whmcs/services/7/traffic', ['description' => 'Łódź – 100 ГБ', 'empty' => []], 'key-1');
        $request = $transport->requests[0];
        $this->assertSame('{"description":"Łódź – 100 ГБ","empty":{}}', $request->body);
        $this->assertSame('application/json; charset=utf-8', $request->header('Content-Type'));
        $this->assertSame('key-1', $request->header('Idempotency-Key'));
        $this->assertSignedOver($request, 'POST', '/v1/whmcs/services/7/traffic', $request->body);
    }

    public function testWithoutSslTheDefaultPortIsVpnflows(): void
    {
        $transport = new RecordingTransport([self::ok()]);
        $this->client($transport, '', false)->read('/v1/whmcs/services/1');
        $this->assertSame('http://192.0.2.10:3000/v1/whmcs/services/1', $transport->requests[0]->url);
    }

    public function testCommandsWaitLongerThanPageReads(): void
    {
        $transport = new RecordingTransport([self::ok(), self::ok()]);
        $client = $this->client($transport);
        $client->read('/v1/whmcs/services/1/overview');
        $client->send('/v1/whmcs/services/1/suspend', ['reason' => 'admin'], 'key');
        $this->assertSame([3, 15], array_map(static fn (HttpRequest $r) => $r->timeoutSeconds, $transport->requests));
        $this->assertSame([3, 3], array_map(static fn (HttpRequest $r) => $r->connectTimeoutSeconds, $transport->requests));
    }

    public function testATransportFailureIsRetriedOnceWithTheSameKeyAndAFreshNonce(): void
    {
        $transport = new RecordingTransport([null, self::ok(['outcome' => 'applied'])]);
        $answer = $this->client($transport)->send('/v1/whmcs/services/9/terminate', [], 'terminate-9-abc');
        $this->assertSame('applied', $answer->body['outcome']);
        [$first, $second] = $transport->requests;
        $this->assertSame('terminate-9-abc', $first->header('Idempotency-Key'));
        $this->assertSame('terminate-9-abc', $second->header('Idempotency-Key'));
        $this->assertNotSame($first->header('X-Vpnflow-Nonce'), $second->header('X-Vpnflow-Nonce'));
        $this->assertSignedOver($second, 'POST', '/v1/whmcs/services/9/terminate', '{}');
    }

    public function testTwoTransportFailuresGiveUpAfterTheOneRetry(): void
    {
        $transport = new RecordingTransport([null, null, self::ok()]);
        try {
            $this->client($transport)->read('/v1/whmcs/services/9');
            $this->fail('expected a transport failure');
        } catch (TransportFailure $failure) {
            $this->assertSame('https://api.example.net:8443/vpnflow/v1/whmcs/services/9', $failure->url);
        }
        $this->assertCount(2, $transport->requests);
    }

    public function testQueuedIsASuccess(): void
    {
        $transport = new RecordingTransport([self::ok(['outcome' => 'queued'], 202)]);
        $this->assertTrue($this->client($transport)->send('/v1/whmcs/services/9/suspend', [], 'k')->queued());
    }

    public function testAnErrorAnswerKeepsCodeAndDetails(): void
    {
        $body = ['error' => ['code' => 'invalid_request', 'message' => 'Invalid request: product.downloadMbps', 'details' => [
            ['field' => 'product.downloadMbps', 'message' => 'must be at most 100000 Mbit/s'],
        ]]];
        $transport = new RecordingTransport([new HttpResponse(400, json_encode($body)), new HttpResponse(502, '<html>Bad gateway</html>')]);
        $client = $this->client($transport);
        try {
            $client->send('/v1/whmcs/services', [], 'k');
            $this->fail('expected an API error');
        } catch (ApiError $error) {
            $this->assertSame([400, 'invalid_request', false], [$error->status, $error->errorCode, $error->transient()]);
            $this->assertSame('product.downloadMbps', $error->details[0]['field']);
        }
        try {
            $client->read('/v1/whmcs/services/1');
            $this->fail('expected an API error');
        } catch (ApiError $error) {
            $this->assertSame([502, 'bad_response', true], [$error->status, $error->errorCode, $error->transient()]);
        }
    }
}
