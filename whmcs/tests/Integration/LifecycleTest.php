<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Integration;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\Recorder;
use Vpnflow\Tests\StandIn\SimulatorControl;
use WHMCS\Database\Capsule;

/** One service through every module function WHMCS calls in its life, checked on the simulated router. */
final class LifecycleTest extends ModuleTestCase
{
    private const NEW_PASSWORD = 'Second-Passw0rd';

    private function secret(int $serviceId): ?array
    {
        return SimulatorControl::secret(SimulatorControl::MAIN, $this->hosting($serviceId)->username);
    }

    /** @return array{int, int} the queue's max-limit, upload/download of its target, in bit/s */
    private function queueLimit(string $username): array
    {
        $units = ['' => 1, 'k' => 1_000, 'M' => 1_000_000, 'G' => 1_000_000_000];
        $rates = explode('/', SimulatorControl::queue(SimulatorControl::MAIN, $username)['max-limit']);
        return array_map(static function (string $rate) use ($units) {
            preg_match('/^(\d+)([kMG]?)$/', $rate, $match);
            return (int) $match[1] * $units[$match[2]];
        }, $rates);
    }

    private function reasons(int $serviceId): array
    {
        return $this->vpnflowService($serviceId)['suspensionReasons'];
    }

    public function testCreateWritesTheUsernameAndAddressBackToTheService(): int
    {
        $serviceId = Fixtures::service(
            Fixtures::product(),
            Fixtures::server(Env::routerId()),
            Fixtures::client(),
            // Not a valid PPP name: vpnflow picks vpn<id>, and WHMCS must learn it.
            ['username' => 'ada lovelace'],
        );
        $this->assertSame('success', vpnflow_CreateAccount(ModuleParams::forService($serviceId)));
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['domainstatus' => 'Active']);

        $hosting = $this->hosting($serviceId);
        $this->assertSame("vpn$serviceId", $hosting->username);
        $this->assertMatchesRegularExpression('/^10\.110\.0\.\d+$/', $hosting->dedicatedip);
        $this->assertSame('UpdateClientProduct', Recorder::$localApiCalls[0]['command']);
        $secret = $this->secret($serviceId);
        $this->assertSame('false', $secret['disabled']);
        $this->assertSame($hosting->dedicatedip, $secret['remote-address']);
        $this->assertStringContainsString("svc=$serviceId", $secret['comment']);
        $this->assertStringNotContainsString(Fixtures::PASSWORD, Recorder::moduleLogText());
        $this->assertStringNotContainsString(Env::secret(), Recorder::moduleLogText());
        return $serviceId;
    }

    /** @depends testCreateWritesTheUsernameAndAddressBackToTheService */
    public function testSuspendForBillingThenByStaff(int $serviceId): int
    {
        $overdue = ModuleParams::forService($serviceId) + ['suspendreason' => 'Overdue on Payment'];
        $this->assertSame('success', vpnflow_SuspendAccount($overdue));
        $this->assertSame(['billing'], $this->reasons($serviceId));
        $this->eventually(fn () => $this->secret($serviceId)['disabled'] === 'true', 'the account is disabled on the router');

        $abuse = ModuleParams::forService($serviceId) + ['suspendreason' => 'Abuse reported'];
        $this->assertSame('success', vpnflow_SuspendAccount($abuse));
        $this->assertSame(['admin', 'billing'], $this->reasons($serviceId));
        return $serviceId;
    }

    /** @depends testSuspendForBillingThenByStaff */
    public function testUnsuspendLiftsWhatWhmcsSuspended(int $serviceId): int
    {
        $this->assertSame('success', vpnflow_UnsuspendAccount(ModuleParams::forService($serviceId)));
        $service = $this->vpnflowService($serviceId);
        $this->assertSame([[], 'active'], [$service['suspensionReasons'], $service['status']]);
        $this->eventually(fn () => $this->secret($serviceId)['disabled'] === 'false', 'the account is enabled on the router');
        return $serviceId;
    }

    /** @depends testUnsuspendLiftsWhatWhmcsSuspended */
    public function testChangePasswordEndsTheLiveSession(int $serviceId): int
    {
        $username = $this->hosting($serviceId)->username;
        $this->assertTrue(SimulatorControl::connect(SimulatorControl::MAIN, $username, Fixtures::PASSWORD));
        $this->assertContains($username, SimulatorControl::sessionNames(SimulatorControl::MAIN));

        // WHMCS stores the new password, then calls the module with it.
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['password' => encrypt(self::NEW_PASSWORD)]);
        $this->assertSame('success', vpnflow_ChangePassword(ModuleParams::forService($serviceId)));

        $this->eventually(
            fn () => !in_array($username, SimulatorControl::sessionNames(SimulatorControl::MAIN), true),
            'the live session is ended',
        );
        $this->assertFalse(SimulatorControl::connect(SimulatorControl::MAIN, $username, Fixtures::PASSWORD));
        $this->assertTrue(SimulatorControl::connect(SimulatorControl::MAIN, $username, self::NEW_PASSWORD));
        $this->assertStringNotContainsString(self::NEW_PASSWORD, Recorder::moduleLogText());
        return $serviceId;
    }

    /** @depends testChangePasswordEndsTheLiveSession */
    public function testChangePackagePutsTheNewSpeedOnTheRoutersQueue(int $serviceId): int
    {
        $username = $this->hosting($serviceId)->username;
        $this->assertSame([2_000_000, 10_000_000], $this->queueLimit($username));
        // WHMCS moves the service to the new product before calling the module.
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['packageid' => Fixtures::product([4 => '20', 5 => '5'])]);
        $this->assertSame('success', vpnflow_ChangePackage(ModuleParams::forService($serviceId)));
        $this->eventually(fn () => $this->queueLimit($username) === [5_000_000, 20_000_000], 'the queue has the new speed');
        return $serviceId;
    }

    /** @depends testChangePackagePutsTheNewSpeedOnTheRoutersQueue */
    public function testRenewSendsTheNextDueDate(int $serviceId): int
    {
        $nextDueDate = gmdate('Y-m-d', strtotime('+2 months'));
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['nextduedate' => $nextDueDate]);
        $this->assertSame('success', vpnflow_Renew(ModuleParams::forService($serviceId)));
        $renewals = array_filter(Recorder::$moduleCalls, static fn (array $call) => $call['action'] === "POST /v1/whmcs/services/$serviceId/renew");
        $this->assertSame([['nextDueDate' => $nextDueDate]], array_column($renewals, 'requestString'));
        return $serviceId;
    }

    /** @depends testRenewSendsTheNextDueDate */
    public function testTerminateRemovesTheAccountAndARepeatSucceeds(int $serviceId): void
    {
        $this->assertSame('success', vpnflow_TerminateAccount(ModuleParams::forService($serviceId)));
        $username = $this->hosting($serviceId)->username;
        $this->eventually(
            fn () => $this->secret($serviceId) === null && SimulatorControl::queue(SimulatorControl::MAIN, $username) === null,
            'the account and its queue are gone from the router',
        );
        $this->assertSame('success', vpnflow_TerminateAccount(ModuleParams::forService($serviceId)));
        $this->assertSame('terminated', $this->vpnflowService($serviceId)['status']);
    }
}
