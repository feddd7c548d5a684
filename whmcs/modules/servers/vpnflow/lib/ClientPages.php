<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The client area's pages beyond the overview, each a custom function of the module (WHMCS runs them at
 * `clientarea.php?action=productdetails&id=<service>&modop=custom&a=<name>` for the service's owner).
 * A page the product does not allow answers "Access denied", however it was reached.
 */
final class ClientPages
{
    /** The periods of the daily chart, in days; the first page shows the default. */
    public const PERIODS = [7, 30, 90, 365];
    public const DEFAULT_PERIOD = 30;

    /**
     * Charts and the usage table, drawn by the widget: `$vpnflow.days` (the chosen period) and
     * `$vpnflow.periods` (list of {days, label, link}).
     *
     * @param array<string, mixed> $params
     * @param array<string, mixed> $request the page's query ($_GET): `days`
     */
    public static function statistics(array $params, array $request): array
    {
        $page = ClientPage::fromParams($params);
        if (!$page->extras->allows('statistics')) {
            return $page->denied('statistics');
        }
        $days = in_array((int) ($request['days'] ?? 0), self::PERIODS, true) ? (int) $request['days'] : self::DEFAULT_PERIOD;
        $periods = array_map(static fn (int $period) => [
            'days' => $period,
            'label' => $page->text->text('statistics.period', ['count' => $period]),
            'link' => $page->link('statistics') . "&days=$period",
        ], self::PERIODS);
        return $page->page('statistics', 'statistics', ['days' => $days, 'periods' => $periods], self::panel($page, $params));
    }

    /**
     * The traffic-added history, drawn by the widget.
     *
     * @param array<string, mixed> $params
     */
    public static function history(array $params): array
    {
        $page = ClientPage::fromParams($params);
        if (!$page->extras->allows('history')) {
            return $page->denied('history');
        }
        return $page->page('history', 'history', [], self::panel($page, $params));
    }

    /**
     * The traffic packs on sale for this service: everything here is WHMCS's, so it needs no vpnflow.
     *
     * @param array<string, mixed> $params
     */
    public static function buyTraffic(array $params): array
    {
        $page = ClientPage::fromParams($params);
        if (!$page->extras->allows('buyTraffic')) {
            return $page->denied('buyTraffic');
        }
        return $page->page('buyTraffic', 'buytraffic', [
            'addons' => TrafficAddons::forService($page->serviceId, $page->productId, $page->clientId, $page->text),
        ]);
    }

    /**
     * The product's OpenVPN profile as a file named after the service's username, or null when the
     * product offers no OpenVPN profile.
     *
     * @param array<string, mixed> $params
     * @return array{filename: string, content: string}|null
     */
    public static function profile(array $params): ?array
    {
        $extras = ProductExtras::forProduct((int) ($params['pid'] ?? 0));
        $offered = ProductSettings::product($params, $extras)['protocols']['ovpn']['enabled'] ?? false;
        if (!$offered || trim($extras->ovpnProfile) === '') {
            return null;
        }
        $name = preg_replace('/[^A-Za-z0-9._-]+/', '_', (string) ($params['username'] ?? '')) ?: 'vpnflow';
        return ['filename' => "$name.ovpn", 'content' => $extras->ovpnProfile];
    }

    /** @param array<string, mixed> $params */
    public static function profileMissing(array $params): array
    {
        return ClientPage::fromParams($params)->denied('overview');
    }

    /**
     * @param array<string, mixed> $params
     * @return array{apiUrl: string, token: string, tokenExpiresAt: string, scriptUrl: string, refreshSeconds: int}|null
     */
    private static function panel(ClientPage $page, array $params): ?array
    {
        try {
            return $page->panel(new ApiClient(ServerRecord::fromParams($params)));
        } catch (\Throwable $problem) {
            Module::explainFailure('ClientArea', $problem, ['serviceId' => $page->serviceId]);
            return null;
        }
    }
}
