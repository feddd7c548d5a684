<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;

/** vpnflow checks the product; staff read its objections under the names of the product's settings. */
final class SettingsRefusedTest extends ModuleTestCase
{
    private function create(array $slots): string
    {
        $serviceId = Fixtures::service(Fixtures::product($slots), Fixtures::server(Env::routerId()), Fixtures::client());
        return vpnflow_CreateAccount(ModuleParams::forService($serviceId));
    }

    public function testABadValueIsNamedByItsSetting(): void
    {
        $this->assertStringContainsString('Download Mbit/s: must be at most 100000', $this->create([4 => '200000']));
    }

    public function testTwoBadValuesAreNamedTogether(): void
    {
        $message = $this->create([13 => '-1', 15 => 'ftp://example.net/setup']);
        $this->assertStringContainsString('Low-balance threshold GB: must not be negative', $message);
        $this->assertStringContainsString('Setup instructions URL: ', $message);
    }

    /** Needs vpnflow to refuse a cycle without a traffic amount (issue 11's API additions). */
    public function testAMissingTrafficAmountForTheServicesCycleNamesItsSlot(): void
    {
        $this->assertStringContainsString('Traffic GB Monthly: ', $this->create([6 => '']));
    }

    public function testAnExplicitZeroIsUnlimited(): void
    {
        $serviceId = $this->activeService([6 => '0']);
        $this->assertNull($this->api()->read("/v1/whmcs/services/$serviceId/overview")->body['service']['trafficPerCycleBytes']);
    }
}
