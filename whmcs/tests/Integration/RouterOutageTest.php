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
