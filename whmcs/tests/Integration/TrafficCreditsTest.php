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

/** Paid traffic: exactly one credit per paid invoice line, whichever path runs and whatever fails. */
final class TrafficCreditsTest extends ModuleTestCase
{
    private const GB = 1_000_000_000;

    private function balance(int $serviceId): int
    {
        return (int) $this->vpnflowService($serviceId)['balanceBytes'];
    }

    /** @return list<object> the outbox rows of an invoice */
    private function outbox(int $invoiceId): array
    {
        return Capsule::table('mod_vpnflow_traffic_credits')->where('invoice_id', $invoiceId)->orderBy('invoice_item_id')->get()->all();
    }

    private function paidAddons(int $serviceId, array $gigabytes): array
    {
        $ordered = array_map(fn (string $gb) => Fixtures::orderAddon($serviceId, Fixtures::addon($gb)), $gigabytes);
        return Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, $ordered);
    }

    /** @return array{int, int} the service and the invoice */
    public function testOneInvoiceWithTwoTrafficLinesGivesExactlyTwoCredits(): array
    {
        $serviceId = $this->activeService();
        $before = $this->balance($serviceId);
        ['invoiceId' => $invoiceId, 'itemIds' => $itemIds] = $this->paidAddons($serviceId, ['100', '300']);

        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);

        $rows = $this->outbox($invoiceId);
        $this->assertSame($itemIds, array_map(static fn (object $row) => (int) $row->invoice_item_id, $rows));
        $this->assertSame([['credited', '100', 1], ['credited', '300', 1]], array_map(
            static fn (object $row) => [$row->status, $row->gb, (int) $row->newly_credited],
            $rows,
        ));
        $this->assertSame($before + 400 * self::GB, $this->balance($serviceId));
        $credits = array_filter(
            $this->api()->read("/v1/whmcs/services/$serviceId/overview")->body['recentCredits'],
            static fn (array $credit) => (string) ($credit['invoice'] ?? '') === (string) $invoiceId,
        );
        $this->assertEqualsCanonicalizing([(string) (100 * self::GB), (string) (300 * self::GB)], array_column($credits, 'addedBytes'));
        $this->assertActivityContains("100 GB credited to service #$serviceId for invoice #$invoiceId");
        return [$serviceId, $invoiceId];
    }

    /** @depends testOneInvoiceWithTwoTrafficLinesGivesExactlyTwoCredits */
    public function testASecondInvoicePaidCreditsNothing(array $credited): void
    {
        [$serviceId, $invoiceId] = $credited;
        $balance = $this->balance($serviceId);
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        $this->assertSame($balance, $this->balance($serviceId));

        // Even with the outbox forgotten, vpnflow's ledger keeps each line to one credit.
        Capsule::table('mod_vpnflow_traffic_credits')->where('invoice_id', $invoiceId)->update(['status' => 'pending']);
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        $this->assertSame($balance, $this->balance($serviceId));
        $this->assertSame([0, 0], array_map(static fn (object $row) => (int) $row->newly_credited, $this->outbox($invoiceId)));
        $this->assertActivityContains("invoice #$invoiceId, line");
    }

    public function testWithTheApiDownTheLinesWaitInTheOutboxAndTheCronCreditsThemOnce(): void
    {
        $serviceId = $this->activeService();
        $before = $this->balance($serviceId);
        $server = Capsule::table('tblservers')->where('id', $this->hosting($serviceId)->server);
        $apiPort = $server->value('port');
        $server->update(['port' => Env::closedPort()]);
        ['invoiceId' => $invoiceId] = $this->paidAddons($serviceId, ['100', '300']);

        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        foreach ($this->outbox($invoiceId) as $row) {
            $this->assertSame(['pending', 1], [$row->status, (int) $row->attempts]);
            $this->assertStringContainsString('127.0.0.1:' . Env::closedPort(), $row->last_error);
            $this->assertGreaterThan(gmdate('Y-m-d H:i:s'), $row->next_attempt_at);
        }

        $server->update(['port' => $apiPort]);
        Recorder::runHook('AfterCronJob', []);
        $this->assertSame(['pending', 'pending'], array_column($this->outbox($invoiceId), 'status'), 'retried before its time');

        Capsule::table('mod_vpnflow_traffic_credits')->where('invoice_id', $invoiceId)->update(['next_attempt_at' => gmdate('Y-m-d H:i:s', time() - 1)]);
        Recorder::runHook('AfterCronJob', []);
        $this->assertSame([['credited', 2], ['credited', 2]], array_map(static fn (object $row) => [$row->status, (int) $row->attempts], $this->outbox($invoiceId)));
        $this->assertSame($before + 400 * self::GB, $this->balance($serviceId));

        Recorder::runHook('AfterCronJob', []);
        $this->assertSame([2, 2], array_map(static fn (object $row) => (int) $row->attempts, $this->outbox($invoiceId)));
        $this->assertSame($before + 400 * self::GB, $this->balance($serviceId));
    }

    public function testALineForATerminatedServiceFailsForGoodAndIsNotRetried(): void
    {
        $serviceId = $this->activeService();
        $this->assertSame('success', vpnflow_TerminateAccount(ModuleParams::forService($serviceId)));
        ['invoiceId' => $invoiceId] = $this->paidAddons($serviceId, ['10']);

        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        [$row] = $this->outbox($invoiceId);
        $this->assertSame(['failed', 1], [$row->status, (int) $row->attempts]);
        $this->assertStringContainsString('vpnflow refused: service is terminated', $row->last_error);

        Capsule::table('mod_vpnflow_traffic_credits')->where('invoice_id', $invoiceId)->update(['next_attempt_at' => gmdate('Y-m-d H:i:s', time() - 1)]);
        Recorder::runHook('AfterCronJob', []);
        $this->assertSame(1, (int) $this->outbox($invoiceId)[0]->attempts);
    }

    public function testAddonsOfOtherModulesAreIgnored(): void
    {
        $serviceId = $this->activeService();
        $before = $this->balance($serviceId);
        $clientId = (int) $this->hosting($serviceId)->userid;
        $backups = Fixtures::orderAddon($serviceId, Fixtures::addon('100', ''));
        $licence = Fixtures::orderAddon($serviceId, Fixtures::addon('100', 'cpanel'));
        ['invoiceId' => $invoiceId] = Fixtures::paidInvoice($clientId, [$backups, $licence]);

        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);

        $this->assertSame([], $this->outbox($invoiceId));
        $this->assertSame($before, $this->balance($serviceId));
    }

    public function testTheAddonsOwnCreateAndInvoicePaidCreditTheLineOnce(): void
    {
        $serviceId = $this->activeService();
        $before = $this->balance($serviceId);
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('25'));
        ['invoiceId' => $invoiceId] = Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, [$hostingAddonId]);

        $this->assertSame('success', vpnflow_CreateAccount(ModuleParams::forAddon($hostingAddonId)));
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);

        $this->assertSame(['credited'], array_column($this->outbox($invoiceId), 'status'));
        $this->assertSame($before + 25 * self::GB, $this->balance($serviceId));
        $this->assertSame('active', $this->vpnflowService($serviceId)['status']);
    }

    public function testAnAddonCreateWithoutAPaidLineSaysWhenTheTrafficComes(): void
    {
        $serviceId = $this->activeService();
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('25'));
        Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, [$hostingAddonId], 'Unpaid');
        $this->assertStringContainsString(
            "Addon #$hostingAddonId has no paid invoice line yet",
            vpnflow_CreateAccount(ModuleParams::forAddon($hostingAddonId)),
        );
    }

    public function testTheAddonsOtherFunctionsLeaveTheServiceAlone(): void
    {
        $serviceId = $this->activeService();
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('25'));
        $params = ModuleParams::forAddon($hostingAddonId) + ['suspendreason' => 'Overdue on Payment'];
        foreach (['vpnflow_SuspendAccount', 'vpnflow_UnsuspendAccount', 'vpnflow_ChangePackage', 'vpnflow_Renew', 'vpnflow_TerminateAccount'] as $function) {
            $this->assertSame('success', $function($params), $function);
        }
        $this->assertSame('active', $this->vpnflowService($serviceId)['status']);
        $this->assertSame('false', SimulatorControl::secret(SimulatorControl::MAIN, $this->hosting($serviceId)->username)['disabled']);
    }

    public function testAQuantityMultipliesTheAddonsTraffic(): void
    {
        $serviceId = $this->activeService();
        $before = $this->balance($serviceId);
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('0.5'), 3);
        ['invoiceId' => $invoiceId] = Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, [$hostingAddonId]);
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        $this->assertSame(['1.5'], array_column($this->outbox($invoiceId), 'gb'));
        $this->assertSame($before + 1_500_000_000, $this->balance($serviceId));
    }
}
