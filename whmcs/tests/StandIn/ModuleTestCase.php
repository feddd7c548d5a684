<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

use PHPUnit\Framework\TestCase;
use WHMCS\Database\Capsule;
use WHMCS\Module\Server\Vpnflow\ApiClient;
use WHMCS\Module\Server\Vpnflow\ServerRecord;

/** A fresh WHMCS request for every test: no session, no form, nothing recorded yet. */
abstract class ModuleTestCase extends TestCase
{
    protected function setUp(): void
    {
        Recorder::reset();
        $_SESSION = [];
        $_POST = [];
        $_SERVER['SCRIPT_NAME'] = '/admin/clientsservices.php';
        \Menu::$context = [];
    }

    /**
     * A service created through vpnflow_CreateAccount and marked Active, as WHMCS does on success.
     *
     * @param array<int, string> $slots product settings over Fixtures::PRODUCT
     */
    protected function activeService(array $slots = [], ?int $routerId = null): int
    {
        $serviceId = Fixtures::service(
            Fixtures::product($slots),
            Fixtures::server($routerId ?? Env::routerId()),
            Fixtures::client(),
        );
        $this->assertSame('success', vpnflow_CreateAccount(ModuleParams::forService($serviceId)));
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['domainstatus' => 'Active']);
        return $serviceId;
    }

    /** @return array<string, mixed> vpnflow's view of the service, read with the module's own client */
    protected function vpnflowService(int $serviceId): array
    {
        return $this->api()->read("/v1/whmcs/services/$serviceId", [], ApiClient::COMMAND_TIMEOUT)->body;
    }

    protected function api(?int $routerId = null): ApiClient
    {
        return new ApiClient(ServerRecord::fromParams(ModuleParams::forServer(Fixtures::server($routerId ?? Env::routerId()))));
    }

    protected function hosting(int $serviceId): object
    {
        return Capsule::table('tblhosting')->where('id', $serviceId)->first();
    }

    /**
     * A command vpnflow answered "queued" (202, a success) reaches the router later: router state is
     * awaited (the router retries back off up to minutes after an outage).
     */
    protected function eventually(\Closure $condition, string $what): void
    {
        $this->assertTrue(Eventually::until($condition, $what));
    }

    protected function assertActivityContains(string $fragment): void
    {
        $this->assertNotEmpty(
            array_filter(Recorder::activityMessages(), static fn (string $message) => str_contains($message, $fragment)),
            "no activity log entry contains \"$fragment\": " . implode(' | ', Recorder::activityMessages()),
        );
    }
}
