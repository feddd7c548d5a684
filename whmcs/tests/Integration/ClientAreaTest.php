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
use WHMCS\Module\Server\Vpnflow\ProductExtras;

/** What the client's product page and the staff's service tab get from vpnflow. */
final class ClientAreaTest extends ModuleTestCase
{
    private function takeApiDown(int $serviceId): array
    {
        Capsule::table('tblservers')->where('id', $this->hosting($serviceId)->server)->update(['port' => Env::closedPort()]);
        return ModuleParams::forService($serviceId);
    }

    public function testTheClientAreaGetsTheOverviewAndAClientToken(): void
    {
        $serviceId = $this->activeService([18 => 'on', 19 => 'psk-secret-1', 2 => 'l2tp']);
        $hosting = $this->hosting($serviceId);
        $page = vpnflow_ClientArea(ModuleParams::forService($serviceId));

        $this->assertSame('templates/clientarea', $page['templatefile']);
        $vars = $page['vars']['vpnflow'];
        $this->assertSame([true, 'overview', $serviceId, 'active', $hosting->username, Fixtures::PASSWORD], [
            $vars['available'], $vars['page'], $vars['serviceId'], $vars['status']['code'], $vars['username'], $vars['password'],
        ]);
        $this->assertStringStartsWith('vpn-', $vars['server']);
        $this->assertSame(['50 GB', '50 GB', '10 Mbit/s', '2 Mbit/s'], [
            $vars['traffic']['balance'], $vars['traffic']['perCycle'], $vars['speed']['download'], $vars['speed']['upload'],
        ]);
        $this->assertSame([['key' => 'l2tp', 'name' => 'L2TP/IPsec', 'customHtml' => '', 'ipsecSecret' => 'psk-secret-1', 'hasProfile' => false]], $vars['protocols']);
        $this->assertSame(['allowed' => true, 'enabled' => true], $vars['reset']);
        $this->assertSame(30, $vars['panel']['refreshSeconds']);
        $this->assertSame($vars['panel']['apiUrl'] . '/panel/1/vpnflow-panel.js', $vars['panel']['scriptUrl']);
        $this->assertNotEmpty($vars['panel']['token']);
        $this->assertGreaterThan(gmdate('c'), $vars['panel']['tokenExpiresAt']);
        $this->assertStringNotContainsString($vars['panel']['token'], Recorder::moduleLogText());
    }

    public function testTheClientSeesWhatTheProductAllows(): void
    {
        $serviceId = $this->activeService();
        ProductExtras::saveForm((int) $this->hosting($serviceId)->packageid, ['vpnflow_statistics' => '1', 'vpnflow_refresh_seconds' => '60']);
        $vars = vpnflow_ClientArea(ModuleParams::forService($serviceId))['vars']['vpnflow'];
        $this->assertSame('', $vars['password']);
        $this->assertSame(['statistics' => true, 'history' => false, 'buyTraffic' => false, 'resetConnection' => false, 'showPassword' => false], $vars['permissions']);
        $this->assertSame(['allowed' => false, 'enabled' => false], $vars['reset']);
        $this->assertSame([], $vars['addons']);
        $this->assertSame(60, $vars['panel']['refreshSeconds']);
    }

    public function testWhenVpnflowIsDownTheClientStillSeesTheLoginDetails(): void
    {
        $serviceId = $this->activeService([18 => 'on', 19 => 'psk-secret-1']);
        $started = microtime(true);
        $page = vpnflow_ClientArea($this->takeApiDown($serviceId));
        $this->assertLessThan(10, microtime(true) - $started);
        $this->assertSame('templates/clientarea', $page['templatefile']);
        $vars = $page['vars']['vpnflow'];
        $this->assertFalse($vars['available']);
        $this->assertSame([$this->hosting($serviceId)->username, Fixtures::PASSWORD, 'psk-secret-1', ''], [
            $vars['username'], $vars['password'], $vars['protocols'][0]['ipsecSecret'], $vars['panel']['token'],
        ]);
    }

    public function testTheServiceTabShowsVpnflowsViewWithEveryValueEscaped(): void
    {
        $hostile = '<img src=x onerror=alert(1)>';
        $serviceId = $this->activeService([3 => $hostile]);
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('5'));
        ['invoiceId' => $invoiceId, 'itemIds' => [$itemId]] = Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, [$hostingAddonId]);
        Capsule::table('tblinvoiceitems')->where('id', $itemId)->update(['description' => '<script>alert("x")</script> 5 GB']);
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);
        $this->assertTrue(SimulatorControl::connect(SimulatorControl::MAIN, $this->hosting($serviceId)->username, Fixtures::PASSWORD));

        $address = $this->hosting($serviceId)->dedicatedip;
        // vpnflow reads a router's sessions at most every 5 s for all pages.
        $this->eventually(function () use ($serviceId, &$fields, $address) {
            $fields = vpnflow_AdminServicesTabFields(ModuleParams::forService($serviceId));
            return str_contains($fields['Connection'], $address);
        }, 'the tab shows the live session');
        $html = implode("\n", $fields);
        $this->assertSame(['vpnflow API', 'Router', 'VPN account', 'Connection', 'Traffic', 'Traffic added', 'Workflow'], array_keys($fields));
        $this->assertMatchesRegularExpression('/^answered in \d+ ms$/', $fields['vpnflow API']);
        $router = $this->api()->read('/v1/whmcs/routers/' . Env::routerId())->body;
        $this->assertStringStartsWith("{$router['name']} (#{$router['id']}), {$router['publicHostname']}; metering: ", $fields['Router']);
        $this->assertStringContainsString('<tr><th>Enabled</th><td>yes</td></tr><tr><th>Status</th><td>active</td></tr>', $fields['VPN account']);
        $this->assertStringContainsString('<tr><th>Comment prefix</th><td>&lt;img src=x onerror=alert(1)&gt;</td></tr>', $fields['VPN account']);
        $this->assertStringContainsString('<tr><th>Balance</th><td>55.00 GB</td></tr>', $fields['Traffic']);
        $this->assertStringContainsString('<tr><th>Per cycle</th><td>50.00 GB</td></tr>', $fields['Traffic']);
        $this->assertStringContainsString('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 5 GB', $fields['Traffic added']);
        $this->assertStringContainsString("<a href=\"invoices.php?action=edit&amp;id=$invoiceId\">#$invoiceId</a>", $fields['Traffic added']);
        $this->assertStringNotContainsString('<script>', $html);
        $this->assertStringNotContainsString('<img', $html);
        $this->assertMatchesRegularExpression('#^<a href="https?://[^"]+" target="_blank" rel="noopener">vpn-service-' . $serviceId . '</a>$#', $fields['Workflow']);
    }

    public function testTheServiceTabStillLoadsWhenVpnflowIsDown(): void
    {
        $serviceId = $this->activeService();
        $params = $this->takeApiDown($serviceId);
        $hostingAddonId = Fixtures::orderAddon($serviceId, Fixtures::addon('5'));
        ['invoiceId' => $invoiceId] = Fixtures::paidInvoice((int) $this->hosting($serviceId)->userid, [$hostingAddonId]);
        Recorder::runHook('InvoicePaid', ['invoiceid' => $invoiceId]);

        $started = microtime(true);
        $fields = vpnflow_AdminServicesTabFields($params);
        $this->assertLessThan(10, microtime(true) - $started);
        $this->assertSame(['vpnflow API', 'Traffic not credited yet'], array_keys($fields));
        $this->assertStringContainsString('127.0.0.1:' . Env::closedPort() . '/v1/whmcs/services/' . $serviceId . '/overview did not answer', $fields['vpnflow API']);
        $this->assertStringContainsString('pending after 1 attempts', $fields['Traffic not credited yet']);
        $this->assertStringContainsString("<a href=\"invoices.php?action=edit&amp;id=$invoiceId\">#$invoiceId</a>", $fields['Traffic not credited yet']);
    }

    public function testStaffResetTheConnectionAndRetryTheRouter(): void
    {
        $serviceId = $this->activeService();
        $username = $this->hosting($serviceId)->username;
        $this->assertTrue(SimulatorControl::connect(SimulatorControl::MAIN, $username, Fixtures::PASSWORD));
        $this->assertSame(['Reset connection' => 'resetConnection', 'Retry router now' => 'retryRouter'], vpnflow_AdminCustomButtonArray());
        $this->assertSame('success', vpnflow_resetConnection(ModuleParams::forService($serviceId)));
        $this->eventually(
            fn () => !in_array($username, SimulatorControl::sessionNames(SimulatorControl::MAIN), true),
            'the live session is ended',
        );
        $this->assertSame('success', vpnflow_retryRouter(ModuleParams::forService($serviceId)));
    }

    /**
     * WHMCS's client area defines CLIENTAREA, for the rest of that process.
     *
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testAClientCannotResetWhenTheProductDoesNotAllowIt(): void
    {
        $serviceId = $this->activeService();
        ProductExtras::saveForm((int) $this->hosting($serviceId)->packageid, ['vpnflow_statistics' => '1']);
        define('CLIENTAREA', true);
        $this->assertSame(
            'Resetting the connection is not enabled for this product.',
            vpnflow_resetConnection(ModuleParams::forService($serviceId)),
        );
    }
}
