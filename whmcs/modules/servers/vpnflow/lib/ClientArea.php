<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The service's overview in the client area: one overview call and one client token per page view,
 * each with a short timeout. When vpnflow does not answer, the page still shows everything WHMCS
 * knows (the login details, the protocols, the profile) with "live data unavailable".
 */
final class ClientArea
{
    private const PROTOCOL_NAMES = ['pptp' => 'PPTP', 'l2tp' => 'L2TP/IPsec', 'ovpn' => 'OpenVPN', 'sstp' => 'SSTP'];

    /**
     * @param array<string, mixed> $params
     * @return array{templatefile: string, breadcrumb: array<string, string>, vars: array<string, mixed>}
     */
    public static function render(array $params): array
    {
        $page = ClientPage::fromParams($params);
        $overview = null;
        $panel = null;
        try {
            $client = new ApiClient(ServerRecord::fromParams($params));
            $overview = $client->read("/v1/whmcs/services/{$page->serviceId}/overview")->body;
            WhmcsService::find($page->serviceId)->recordAccount(is_array($overview['service'] ?? null) ? $overview['service'] : []);
            $panel = $page->panel($client);
        } catch (\Throwable $problem) {
            Module::explainFailure('ClientArea', $problem, ['serviceId' => $page->serviceId]);
        }
        $addons = $page->extras->allows('buyTraffic')
            ? TrafficAddons::forService($page->serviceId, $page->productId, $page->clientId, $page->text)
            : [];
        return $page->page('overview', 'clientarea', self::overview($params, $overview, $page, $addons), $panel);
    }

    /**
     * What the overview shows, from the module parameters (WHMCS's) and vpnflow's overview, or null
     * when vpnflow did not answer. Every value is a string, a bool or an int, so the template prints
     * no null:
     *
     * - available (bool: vpnflow answered); status {code, text}; limitedByTraffic (bool)
     * - username; password ('' unless the product shows it); server (the address VPN apps connect to)
     * - speed {download, upload}; traffic {balance, perCycle, cycleDownload, cycleUpload, nextGrant}
     * - live {online, state, asOf, sessions: list of {protocol, callerId, address, uptime}}
     * - protocols: list of {key, name, customHtml (staff HTML, printed as is), ipsecSecret, hasProfile}
     * - setupInstructionsUrl; reset {allowed, enabled}; addons (TrafficAddons)
     *
     * @param array<string, mixed> $params
     * @param array<string, mixed>|null $overview
     * @param list<array<string, mixed>> $addons
     * @return array<string, mixed>
     */
    public static function overview(array $params, ?array $overview, ClientPage $page, array $addons): array
    {
        $service = is_array($overview['service'] ?? null) ? $overview['service'] : [];
        $router = is_array($overview['router'] ?? null) ? $overview['router'] : [];
        $live = is_array($overview['live'] ?? null) ? $overview['live'] : [];
        $usage = is_array($overview['cycleUsage'] ?? null) ? $overview['cycleUsage'] : [];
        $format = $page->format;
        $text = $page->text;
        $product = ProductSettings::product($params, $page->extras);
        $status = (string) ($service['status'] ?? '');
        $reasons = array_map('strval', array_values((array) ($service['suspensionReasons'] ?? [])));
        $online = (bool) ($live['online'] ?? false);
        $perCycle = $service['trafficPerCycleBytes'] ?? null;
        $reset = $page->extras->allows('resetConnection');
        return [
            'available' => $overview !== null,
            'status' => ['code' => $status, 'text' => $overview === null ? '' : self::statusText($text, $status, $reasons)],
            'limitedByTraffic' => (bool) ($service['limitedByTraffic'] ?? false),
            'username' => (string) ($service['username'] ?? $params['username'] ?? ''),
            'password' => $page->extras->allows('showPassword') ? (string) ($params['password'] ?? '') : '',
            'server' => (string) ($router['publicHostname'] ?? ''),
            'speed' => [
                'download' => $format->mbps((string) ($product['downloadMbps'] ?? '')),
                'upload' => $format->mbps((string) ($product['uploadMbps'] ?? '')),
            ],
            'traffic' => [
                'balance' => $overview === null ? '' : $format->gb($service['balanceBytes'] ?? '0'),
                'perCycle' => $overview === null ? '' : ($perCycle === null ? $text->text('common.unlimited') : $format->gb($perCycle)),
                'cycleDownload' => $overview === null ? '' : $format->gb($usage['downloadBytes'] ?? '0'),
                'cycleUpload' => $overview === null ? '' : $format->gb($usage['uploadBytes'] ?? '0'),
                'nextGrant' => $format->dateTime(isset($service['nextGrantAt']) ? (string) $service['nextGrantAt'] : null),
            ],
            'live' => [
                'online' => $online,
                'state' => $text->text($online ? 'connection.online' : 'connection.offline'),
                'asOf' => isset($live['asOf']) ? $text->text(($live['source'] ?? '') === 'router' ? 'connection.asOf' : 'connection.asOfMetering', [
                    'time' => $format->time((string) $live['asOf']),
                ]) : '',
                'sessions' => array_map(static fn (array $session) => [
                    'protocol' => (string) ($session['protocol'] ?? ''),
                    'callerId' => (string) ($session['callerId'] ?? ''),
                    'address' => (string) ($session['address'] ?? ''),
                    'uptime' => isset($session['uptimeSeconds']) ? $format->uptime((int) $session['uptimeSeconds']) : '',
                ], array_values(array_filter((array) ($live['sessions'] ?? []), 'is_array'))),
            ],
            'protocols' => self::protocols($product, $page->extras),
            'setupInstructionsUrl' => (string) ($product['setupInstructionsUrl'] ?? ''),
            'reset' => ['allowed' => $reset, 'enabled' => $reset && $status === 'active'],
            'addons' => $addons,
        ];
    }

    /** The service's status in the client's words, as the widget writes it: "Suspended (traffic used up)". */
    public static function statusText(ClientText $text, string $status, array $reasons): string
    {
        $name = in_array($status, ['provisioning', 'active', 'suspended', 'terminated'], true) ? $text->text("status.$status") : $status;
        $because = array_map(
            static fn (string $reason) => in_array($reason, ['admin', 'billing', 'traffic'], true) ? $text->text('status.reason' . ucfirst($reason)) : $reason,
            $reasons,
        );
        return $because === [] ? $name : $name . ' (' . implode(', ', $because) . ')';
    }

    /**
     * @param array<string, mixed> $product
     * @return list<array{key: string, name: string, customHtml: string, ipsecSecret: string, hasProfile: bool}>
     */
    private static function protocols(array $product, ProductExtras $extras): array
    {
        $offered = [];
        foreach (self::PROTOCOL_NAMES as $key => $name) {
            $protocol = is_array($product['protocols'][$key] ?? null) ? $product['protocols'][$key] : [];
            if (!($protocol['enabled'] ?? false)) {
                continue;
            }
            $offered[] = [
                'key' => $key,
                'name' => $name,
                'customHtml' => (string) ($protocol['customHtml'] ?? ''),
                'ipsecSecret' => $key === 'l2tp' ? (string) ($protocol['ipsecSecret'] ?? '') : '',
                'hasProfile' => $key === 'ovpn' && trim($extras->ovpnProfile) !== '',
            ];
        }
        return $offered;
    }
}
