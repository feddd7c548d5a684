<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use Vpnflow\Tests\StandIn\Env;
use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use Vpnflow\Tests\StandIn\ModuleTestCase;
use WHMCS\Database\Capsule;
use WHMCS\Module\Server\Vpnflow\ClientArea;
use WHMCS\Module\Server\Vpnflow\ClientPage;
use WHMCS\Module\Server\Vpnflow\ClientPages;
use WHMCS\Module\Server\Vpnflow\Locales;
use WHMCS\Module\Server\Vpnflow\ProductExtras;
use WHMCS\Module\Server\Vpnflow\TrafficAddons;

/**
 * Every client-area page rendered by Debian's Smarty 3 and Smarty 4, in each of the six languages, from
 * the module's own view code: no undefined variable, every value escaped (a hostile username renders as
 * text), each language's own strings and no placeholder left. Smarty runs in a process of its own per
 * version (tests/StandIn/render-templates.php).
 */
final class TemplateRenderingTest extends ModuleTestCase
{
    private const HOSTILE = '<img src=x onerror=alert(1)>';
    private const WHMCS_LANGUAGES = ['en' => 'english', 'pl' => 'polish', 'de' => 'german', 'ru' => 'russian', 'uk' => 'ukranian', 'es' => 'spanish'];
    private const PAGES = ['overview', 'overviewUnavailable', 'overviewForbidden', 'statistics', 'history', 'buyTraffic', 'denied'];

    /** @var array<int, array<string, array{html?: string, error?: string}>> version => "locale page" => rendered */
    private static array $rendered = [];

    /** @return iterable<string, array{int, string, string}> */
    public function pages(): iterable
    {
        foreach ([3, 4] as $version) {
            foreach (array_keys(self::WHMCS_LANGUAGES) as $locale) {
                foreach (self::PAGES as $page) {
                    yield "smarty$version $locale $page" => [$version, $locale, $page];
                }
            }
        }
    }

    /** @dataProvider pages */
    public function testThePageRendersEscapedInItsLanguage(int $version, string $locale, string $page): void
    {
        $rendered = self::rendered($version)["$locale $page"];
        $this->assertArrayNotHasKey('error', $rendered, $rendered['error'] ?? '');
        $html = $rendered['html'];
        $document = new \DOMDocument();
        $this->assertTrue(@$document->loadHTML('<?xml encoding="utf-8"?><body>' . $html . '</body>'));
        $xpath = new \DOMXPath($document);

        // Escaping: nothing hostile became markup, and where it is shown it is text.
        $this->assertSame(0, $xpath->query('//img | //*[@onerror] | //*[@onclick]')->length, $html);
        foreach ($xpath->query('//script') as $script) {
            $this->assertSame('https://vpnflow.example.net/panel/1/vpnflow-panel.js', $script->getAttribute('src'));
        }
        if (in_array($page, ['overview', 'overviewForbidden'], true)) {
            $this->assertStringContainsString(htmlspecialchars(self::HOSTILE), $html);
            $this->assertStringContainsString(self::HOSTILE, $document->textContent);
        }
        if ($page === 'overview') {
            $this->assertSame(1, $xpath->query('//b[@class="trusted"]')->length, 'the protocol\'s custom HTML is printed as HTML');
        }

        // The page's own strings in its language, and no placeholder or key left.
        $texts = Locales::strings()['texts'][$locale];
        $expected = [
            'overview' => $texts['overview']['title'],
            'overviewUnavailable' => $texts['common']['liveUnavailable'],
            'overviewForbidden' => $texts['overview']['passwordHidden'],
            'statistics' => $texts['statistics']['daily'],
            'history' => $texts['history']['title'],
            'buyTraffic' => $texts['buy']['orderNow'],
            'denied' => $texts['common']['accessDenied'],
        ][$page];
        $this->assertStringContainsString(htmlspecialchars($expected, ENT_QUOTES), $html);
        if ($locale !== 'en') {
            $this->assertStringNotContainsString(Locales::strings()['texts']['en']['nav']['overview'] . '<', $html);
        }
        $this->assertDoesNotMatchRegularExpression('/\{\w+\}|\bpanel\.\w+/', $document->textContent);
    }

    public function testAnUndefinedVariableIsAnErrorInBothVersions(): void
    {
        foreach ([3, 4] as $version) {
            $results = self::renderWith($version, [['templatefile' => 'templates/denied', 'vars' => ['vpnflowText' => Locales::strings()['texts']['en']]]]);
            $this->assertStringContainsString('vpnflow', $results[0]['error'] ?? '', "smarty$version");
        }
    }

    /** @return array<string, array{html?: string, error?: string}> */
    private static function rendered(int $version): array
    {
        return self::$rendered[$version] ??= array_combine(array_keys(self::views()), self::renderWith($version, array_values(self::views())));
    }

    /** @var array<string, array{templatefile: string, vars: array<string, mixed>}>|null */
    private static ?array $views = null;

    /** @return array<string, array{templatefile: string, vars: array<string, mixed>}> "locale page" => page */
    private static function views(): array
    {
        if (self::$views !== null) {
            return self::$views;
        }
        $productId = Fixtures::product([
            3 => self::HOSTILE,
            15 => 'https://docs.example.net/setup?from="><script>alert(1)</script>',
            16 => 'on', 17 => '<b class="trusted">PPTP settings</b>',
            18 => 'on', 19 => 'psk-' . self::HOSTILE,
            21 => 'on', 23 => 'on',
        ]);
        $forbiddenProductId = Fixtures::product([16 => 'on']);
        ProductExtras::saveForm($productId, array_fill_keys(array_map(static fn (string $p) => "vpnflow_$p", array_keys(ProductExtras::PERMISSIONS)), '1') + [
            'vpnflow_refresh_seconds' => '15',
            'vpnflow_ovpn_profile' => "client\nremote vpn.example.net 1194\n",
        ]);
        ProductExtras::saveForm($forbiddenProductId, ['vpnflow_refresh_seconds' => '15']);
        $addonId = Capsule::table('tbladdons')->insertGetId(['name' => self::HOSTILE . ' Traffic 100 GB', 'module' => 'vpnflow', 'packages' => "$productId,$forbiddenProductId"]);
        Capsule::table('tblpricing')->insert(['type' => 'addon', 'currency' => 1, 'relid' => $addonId, 'monthly' => 3.76]);
        // Unreachable: the statistics and history pages then show how they look without vpnflow.
        $serverId = Fixtures::server(Env::routerId(), ['port' => Env::closedPort()]);
        $panel = [
            'apiUrl' => 'https://vpnflow.example.net',
            'token' => 'token-' . self::HOSTILE,
            'tokenExpiresAt' => '2030-01-01T00:00:00.000Z',
            'scriptUrl' => 'https://vpnflow.example.net/panel/1/vpnflow-panel.js',
            'refreshSeconds' => 15,
        ];
        $views = [];
        foreach (self::WHMCS_LANGUAGES as $locale => $language) {
            $clientId = Fixtures::client($language);
            $serviceId = Fixtures::service($productId, $serverId, $clientId, ['username' => self::HOSTILE]);
            $forbiddenId = Fixtures::service($forbiddenProductId, $serverId, $clientId, ['username' => self::HOSTILE]);
            $params = ModuleParams::forService($serviceId);
            $page = ClientPage::fromParams($params);
            $addons = TrafficAddons::forService($serviceId, $productId, $clientId, $page->text);
            $forbidden = ClientPage::fromParams(ModuleParams::forService($forbiddenId));
            $pages = [
                'overview' => $page->page('overview', 'clientarea', ClientArea::overview($params, self::overviewOf($serviceId), $page, $addons), $panel),
                'overviewUnavailable' => $page->page('overview', 'clientarea', ClientArea::overview($params, null, $page, $addons)),
                'overviewForbidden' => $forbidden->page('overview', 'clientarea', ClientArea::overview(ModuleParams::forService($forbiddenId), self::overviewOf($forbiddenId), $forbidden, []), $panel),
                'statistics' => ClientPages::statistics($params, ['days' => '7']),
                'history' => ClientPages::history($params),
                'buyTraffic' => ClientPages::buyTraffic($params),
                'denied' => ClientPages::statistics(ModuleParams::forService($forbiddenId), []),
            ];
            foreach ($pages as $name => $whmcsPage) {
                // WHMCS gives every template its CSRF token.
                $views["$locale $name"] = ['templatefile' => $whmcsPage['templatefile'], 'vars' => $whmcsPage['vars'] + ['token' => 'csrf-' . self::HOSTILE]];
            }
        }
        return self::$views = $views;
    }

    /** vpnflow's overview answer, with hostile text wherever vpnflow passes on text others wrote. */
    private static function overviewOf(int $serviceId): array
    {
        return [
            'service' => [
                'serviceId' => $serviceId, 'status' => 'suspended', 'suspensionReasons' => ['traffic'], 'username' => self::HOSTILE,
                'routerId' => 1, 'address' => '10.0.0.7', 'billingCycle' => 'monthly', 'nextGrantAt' => '2026-06-01T00:00:00.000Z',
                'routerPending' => false, 'routerError' => null, 'clientId' => 1, 'balanceBytes' => '1500000000', 'product' => [],
                'trafficPerCycleBytes' => '50000000000', 'limitedByTraffic' => true, 'fromWorkflow' => true,
            ],
            'router' => ['id' => 1, 'name' => 'r1', 'publicHostname' => 'vpn.example.net' . self::HOSTILE, 'metering' => ['status' => 'ok']],
            'live' => [
                'online' => true, 'source' => 'router', 'asOf' => '2026-05-20T10:11:12.000Z',
                'sessions' => [['protocol' => 'l2tp', 'callerId' => self::HOSTILE, 'address' => '10.0.0.7', 'uptimeSeconds' => 93784]],
            ],
            'cycleUsage' => ['from' => '2026-05-01', 'downloadBytes' => '1234567890', 'uploadBytes' => '98765432'],
            'recentCredits' => [],
            'temporal' => ['workflowId' => "vpn-service-$serviceId", 'uiUrl' => null],
        ];
    }

    /**
     * @param list<array{templatefile: string, vars: array<string, mixed>}> $pages
     * @return list<array{html?: string, error?: string}>
     */
    private static function renderWith(int $version, array $pages): array
    {
        $process = proc_open(
            [PHP_BINARY, __DIR__ . '/../StandIn/render-templates.php', (string) $version],
            [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
        );
        fwrite($pipes[0], json_encode($pages, JSON_THROW_ON_ERROR));
        fclose($pipes[0]);
        $output = (string) stream_get_contents($pipes[1]);
        $errors = (string) stream_get_contents($pipes[2]);
        $status = proc_close($process);
        if ($status !== 0) {
            throw new \RuntimeException("Rendering with Smarty $version failed ($status): $errors $output");
        }
        return json_decode($output, true, 512, JSON_THROW_ON_ERROR);
    }
}
