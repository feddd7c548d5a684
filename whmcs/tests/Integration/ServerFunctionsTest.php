<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\SimulatorControl;
use WHMCS\Database\Capsule;
use WHMCS\Service\Status;

/** The server page's functions: TestConnection and the server sync's ListAccounts. */
final class ServerFunctionsTest extends ModuleTestCase
{
    public function testTestConnectionNamesTheRouterAndItsRouterOsVersion(): void
    {
        $result = vpnflow_TestConnection(ModuleParams::forServer(Fixtures::server(Env::routerId())));
        $this->assertSame(['success' => true, 'error' => ''], $result);
        $router = SimulatorControl::router(SimulatorControl::MAIN);
        $this->assertActivityContains("{$router['identity']}, RouterOS {$router['version']}");
    }

    public function testTestConnectionToARouterThatIsDownNamesItAndWhy(): void
    {
        $params = ModuleParams::forServer(Fixtures::server(Env::outageRouterId()));
        SimulatorControl::goOffline(SimulatorControl::OUTAGE);
        try {
            $result = vpnflow_TestConnection($params);
        } finally {
            SimulatorControl::comeBack(SimulatorControl::OUTAGE);
        }
        $this->assertFalse($result['success']);
        $this->assertMatchesRegularExpression('/^vpnflow could not reach router \S+ \(#' . Env::outageRouterId() . '\): \w+: .+/', $result['error']);
    }

    public function testTestConnectionToARouterVpnflowDoesNotKnowSaysSo(): void
    {
        $result = vpnflow_TestConnection(ModuleParams::forServer(Fixtures::server(987654321)));
        $this->assertFalse($result['success']);
        $this->assertStringContainsString('vpnflow has no router 987654321', $result['error']);
    }

    public function testTestConnectionWithoutARouterIdSaysWhatTheUsernameMustBe(): void
    {
        $result = vpnflow_TestConnection(ModuleParams::forServer(Fixtures::server(Env::routerId(), ['username' => 'admin'])));
        $this->assertFalse($result['success']);
        $this->assertStringContainsString('must be the vpnflow router id (a number), not "admin"', $result['error']);
    }

    public function testTestConnectionToAnApiThatIsDownNamesTheUrl(): void
    {
        $serverId = Fixtures::server(Env::routerId(), ['hostname' => '127.0.0.1', 'port' => Env::closedPort()]);
        $result = vpnflow_TestConnection(ModuleParams::forServer($serverId));
        $this->assertFalse($result['success']);
        $this->assertStringContainsString('vpnflow at http://127.0.0.1:' . Env::closedPort() . '/v1/whmcs/routers/' . Env::routerId() . '?probe=1 did not answer', $result['error']);
    }

    public function testListAccountsShowsTheRoutersAccountsAsWhmcsComparesThem(): void
    {
        $serviceId = $this->activeService();
        $hosting = $this->hosting($serviceId);
        $result = vpnflow_ListAccounts(ModuleParams::forServer(Fixtures::server(Env::routerId())));
        $this->assertTrue($result['success'], $result['error'] ?? '');
        $mine = array_values(array_filter($result['accounts'], static fn (array $account) => $account['username'] === $hosting->username));
        $this->assertCount(1, $mine);
        $this->assertSame([
            'email' => Capsule::table('tblclients')->where('id', $hosting->userid)->value('email'),
            'username' => $hosting->username,
            'domain' => '',
            'uniqueIdentifier' => $hosting->username,
            'product' => '',
            'primaryip' => $hosting->dedicatedip,
            'status' => Status::ACTIVE,
        ], array_diff_key($mine[0], ['created' => true]));
        $this->assertMatchesRegularExpression('/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/', $mine[0]['created']);
    }

    public function testListAccountsWithAWrongSecretFails(): void
    {
        $result = vpnflow_ListAccounts(ModuleParams::forServer(Fixtures::server(Env::routerId(), ['password' => encrypt('wrong')])));
        $this->assertFalse($result['success']);
        $this->assertStringContainsString('WHMCS_SHARED_SECRET', $result['error']);
    }
}
