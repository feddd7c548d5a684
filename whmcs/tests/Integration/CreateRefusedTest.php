<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\SimulatorControl;

/** Creates vpnflow refuses, explained to staff: a setting by its name on the product page, a username taken on the router. */
final class CreateRefusedTest extends ModuleTestCase
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

    /** Needs vpnflow's 409 username_taken_on_router (issue 11's API additions). */
    public function testAUsernameSomeoneElseHasOnTheRouterIsRefusedNamingBoth(): void
    {
        $username = 'taken' . bin2hex(random_bytes(4));
        SimulatorControl::addForeignSecret(SimulatorControl::MAIN, $username);
        $serviceId = Fixtures::service(Fixtures::product(), Fixtures::server(Env::routerId()), Fixtures::client(), ['username' => $username]);
        $message = vpnflow_CreateAccount(ModuleParams::forService($serviceId));
        $this->assertMatchesRegularExpression("/The username $username is already used on router \\S+ by an account vpnflow did not create/", $message);
    }

    public function testAnExplicitZeroIsUnlimited(): void
    {
        $serviceId = $this->activeService([6 => '0']);
        $this->assertNull($this->api()->read("/v1/whmcs/services/$serviceId/overview")->body['service']['trafficPerCycleBytes']);
    }
}
