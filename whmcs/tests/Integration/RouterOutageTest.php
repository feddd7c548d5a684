<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\SimulatorControl;

final class RouterOutageTest extends ModuleTestCase
{
    public function testASuspendWhileTheRouterIsDownSucceedsIsLoggedAsQueuedAndAppliesWhenItReturns(): void
    {
        $serviceId = $this->activeService([], Env::outageRouterId());
        $username = $this->hosting($serviceId)->username;
        $params = ModuleParams::forService($serviceId) + ['suspendreason' => 'Abuse reported'];

        SimulatorControl::goOffline(SimulatorControl::OUTAGE);
        try {
            $started = microtime(true);
            $this->assertSame('success', vpnflow_SuspendAccount($params));
            $this->assertLessThan(15, microtime(true) - $started);
            $this->assertActivityContains("SuspendAccount of service #$serviceId was accepted and waits for router " . Env::outageRouterId());
            $this->assertTrue($this->vpnflowService($serviceId)['routerPending']);
            $this->assertSame('false', SimulatorControl::secret(SimulatorControl::OUTAGE, $username)['disabled']);

            // Staff see the same on the service tab: what waits, why, and what the service holds meanwhile.
            $fields = vpnflow_AdminServicesTabFields(ModuleParams::forService($serviceId));
            $this->assertStringContainsString('<tr><th>Status</th><td>suspended (admin)</td></tr>', $fields['VPN account']);
            $this->assertMatchesRegularExpression(
                '#<tr><th>Change waiting for the router</th><td>waiting for the router: [^<]*(unreachable|ECONNREFUSED)[^<]*</td></tr>#',
                $fields['VPN account'],
            );
            $this->assertMatchesRegularExpression('#<tr><th>Next grant</th><td>\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC</td></tr>#', $fields['Traffic']);
        } finally {
            SimulatorControl::comeBack(SimulatorControl::OUTAGE);
        }

        $this->eventually(
            fn () => SimulatorControl::secret(SimulatorControl::OUTAGE, $username)['disabled'] === 'true',
            'the queued suspend reaches the router once it is back',
        );
        $this->eventually(
            fn () => $this->vpnflowService($serviceId)['routerPending'] === false,
            'vpnflow records that the router caught up',
        );
    }
}
