<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\MenuItem;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\Recorder;
use WHMCS\Database\Capsule;
use WHMCS\Module\Server\Vpnflow\ProductExtras;

/** The settings beyond the 24 slots: the product pane, and what they change in the client area. */
final class ClientAreaSettingsTest extends ModuleTestCase
{
    /** @return array<string, string> what the pane shows */
    private function pane(int $productId): array
    {
        return array_merge(...Recorder::runHook('AdminProductConfigFields', ['pid' => $productId]));
    }

    /** @param array<string, string> $form */
    private function savePane(int $productId, array $form): void
    {
        $_POST = $form;
        Recorder::runHook('AdminProductConfigFieldsSave', ['pid' => $productId]);
    }

    public function testThePaneIsOnlyOnVpnflowProducts(): void
    {
        $this->assertSame([], $this->pane(Fixtures::product([], 'cpanel')));
        $fields = $this->pane(Fixtures::product());
        $this->assertCount(3, $fields);
        $this->assertStringContainsString('name="vpnflow_showPassword" value="1" checked', implode('', $fields));
        $this->assertStringContainsString('value="30"', implode('', $fields));
    }

    public function testSavingThePaneKeepsWhatStaffTicked(): void
    {
        $productId = Fixtures::product();
        $this->savePane($productId, [
            'vpnflow_statistics' => '1',
            'vpnflow_resetConnection' => '1',
            'vpnflow_refresh_seconds' => '45',
            'vpnflow_ovpn_profile' => "client\r\nremote vpn.example.net 1194\r\n<ca>\r\n</ca>",
        ]);
        $extras = ProductExtras::forProduct($productId);
        $this->assertSame(
            ['statistics' => true, 'history' => false, 'buyTraffic' => false, 'resetConnection' => true, 'showPassword' => false],
            $extras->permissions,
        );
        $this->assertSame(45, $extras->refreshSeconds);
        $this->assertSame("client\nremote vpn.example.net 1194\n<ca>\n</ca>", $extras->ovpnProfile);
        $this->assertStringContainsString('&lt;ca&gt;', implode('', $this->pane($productId)));
    }

    /** @return iterable<string, array{string, int}> */
    public function refreshIntervals(): iterable
    {
        yield 'too fast' => ['5', 10];
        yield 'too slow' => ['900', 300];
        yield 'not a number' => ['soon', 30];
        yield 'in range' => ['120', 120];
    }

    /** @dataProvider refreshIntervals */
    public function testTheRefreshIntervalStaysBetween10And300Seconds(string $typed, int $stored): void
    {
        $productId = Fixtures::product();
        $this->savePane($productId, ['vpnflow_refresh_seconds' => $typed]);
        $this->assertSame($stored, ProductExtras::forProduct($productId)->refreshSeconds);
    }

    public function testSavingAnotherModulesProductWritesNothing(): void
    {
        $productId = Fixtures::product([], 'cpanel');
        $this->savePane($productId, ['vpnflow_refresh_seconds' => '45']);
        $this->assertFalse(Capsule::table('mod_vpnflow_product_settings')->where('product_id', $productId)->exists());
    }

    /** @return list<string> the entries added under Service Details Actions, "label uri" or "label (disabled)" */
    private function sidebarFor(int $serviceId): array
    {
        $sidebar = new MenuItem('Primary Sidebar');
        $sidebar->addChild('Service Details Actions');
        \Menu::$context['service'] = (object) ['id' => $serviceId];
        Recorder::runHook('ClientAreaPrimarySidebar', $sidebar);
        return array_map(
            static fn (MenuItem $item) => $item->options['label'] . ' ' . ($item->isDisabled() ? '(disabled)' : $item->options['uri']),
            $sidebar->getChild('Service Details Actions')->getChildren(),
        );
    }

    public function testTheSidebarLinksThePagesAndDimsWhatTheProductForbids(): void
    {
        $productId = Fixtures::product();
        $serviceId = Fixtures::service($productId, Fixtures::server(Env::routerId()), Fixtures::client('polish'), ['domainstatus' => 'Active']);
        $page = "clientarea.php?action=productdetails&id=$serviceId";
        $this->assertSame([
            "Przegląd $page",
            "Statystyki transferu $page&modop=custom&a=statistics",
            "Dodany transfer $page&modop=custom&a=history",
            "Kup dodatkowy transfer $page&modop=custom&a=buyTraffic",
        ], $this->sidebarFor($serviceId));

        $this->savePane($productId, ['vpnflow_history' => '1']);
        $this->assertSame([
            "Przegląd $page",
            'Statystyki transferu (disabled)',
            "Dodany transfer $page&modop=custom&a=history",
            'Kup dodatkowy transfer (disabled)',
        ], $this->sidebarFor($serviceId));
    }

    public function testTheSidebarLeavesOtherServicesAlone(): void
    {
        $other = Fixtures::service(Fixtures::product([], 'cpanel'), Fixtures::server(Env::routerId()), Fixtures::client(), ['domainstatus' => 'Active']);
        $this->assertSame([], $this->sidebarFor($other));
        $terminated = Fixtures::service(Fixtures::product(), Fixtures::server(Env::routerId()), Fixtures::client(), ['domainstatus' => 'Terminated']);
        $this->assertSame([], $this->sidebarFor($terminated));
    }

    public function testAForbiddenPageAnswersAccessDeniedHoweverItIsReached(): void
    {
        $productId = Fixtures::product();
        $this->savePane($productId, ['vpnflow_resetConnection' => '1']);
        $params = ModuleParams::forService(Fixtures::service($productId, Fixtures::server(Env::routerId()), Fixtures::client()));
        foreach (['statistics' => vpnflow_statistics($params), 'history' => vpnflow_history($params), 'buyTraffic' => vpnflow_buyTraffic($params)] as $page => $answer) {
            $this->assertSame('templates/denied', $answer['templatefile'], $page);
            $this->assertSame($page, $answer['vars']['vpnflow']['deniedPage']);
        }
        $this->assertSame(['statistics', 'history', 'buyTraffic', 'downloadProfile', 'resetConnection'], vpnflow_ClientAreaAllowedFunctions());
    }
}
