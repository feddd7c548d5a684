<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use WHMCS\Module\Server\Vpnflow\ApiClient;
use WHMCS\Module\Server\Vpnflow\ApiError;
use WHMCS\Module\Server\Vpnflow\CurlTransport;
use WHMCS\Module\Server\Vpnflow\ServerRecord;
use WHMCS\Module\Server\Vpnflow\StaffMessages;
use WHMCS\Module\Server\Vpnflow\Translator;

/** PHP's signatures as vpnflow's API checks them. */
final class SigningTest extends ModuleTestCase
{
    public function testASignedGetWithAQueryStringIsAccepted(): void
    {
        $router = $this->api()->read('/v1/whmcs/routers/' . Env::routerId(), ['probe' => 1], ApiClient::COMMAND_TIMEOUT)->body;
        $this->assertSame(Env::routerId(), $router['id']);
        // vpnflow probes the router only when the signed query string reached it.
        $this->assertTrue($router['probe']['ok'], json_encode($router));
    }

    public function testASignedPostWithANonAsciiBodyIsAccepted(): void
    {
        $html = '<p>Łódź – żółć, Привіт, 東京 🚀</p>';
        $serviceId = $this->activeService([16 => 'on', 17 => $html]);
        $overview = $this->api()->read("/v1/whmcs/services/$serviceId/overview")->body;
        $this->assertSame($html, $overview['service']['product']['protocols']['pptp']['customHtml']);
    }

    /** The server record's Hostname `127.0.0.1/vpnflow`: a proxy that strips `/vpnflow` passes requests on. */
    public function testBehindAProxyUnderAPathPrefixRequestsAreSignedAsVpnflowReceivesThem(): void
    {
        $proxy = parse_url(Env::get('VPNFLOW_PREFIX_PROXY_URL'));
        $serverId = Fixtures::server(Env::routerId(), ['hostname' => $proxy['host'] . '/vpnflow', 'port' => (string) $proxy['port']]);
        $result = vpnflow_TestConnection(ModuleParams::forServer($serverId));
        $this->assertSame(['success' => true, 'error' => ''], $result);
        $serviceId = Fixtures::service(Fixtures::product(), $serverId, Fixtures::client());
        $this->assertSame('success', vpnflow_CreateAccount(ModuleParams::forService($serviceId)));
        $this->assertSame('active', $this->vpnflowService($serviceId)['status']);
    }

    public function testAWrongSecretTellsStaffWhichPasswordToFix(): void
    {
        $serverId = Fixtures::server(Env::routerId(), ['password' => encrypt('not-the-shared-secret')]);
        $result = vpnflow_TestConnection(ModuleParams::forServer($serverId));
        $this->assertFalse($result['success']);
        $this->assertStringContainsString("the server's Password must equal vpnflow's WHMCS_SHARED_SECRET", $result['error']);
    }

    public function testATenMinuteClockSkewTellsStaffToFixNtp(): void
    {
        $server = ServerRecord::fromParams(ModuleParams::forServer(Fixtures::server(Env::routerId())));
        $client = new ApiClient($server, new CurlTransport(), static fn () => time() - 600);
        try {
            $client->read('/v1/whmcs/routers/' . Env::routerId());
            $this->fail('a request ten minutes old was accepted');
        } catch (ApiError $error) {
            $this->assertSame('stale_request', $error->errorCode);
            $this->assertStringContainsString('Fix NTP', (new StaffMessages(Translator::forStaff()))->explain($error));
        }
    }
}
