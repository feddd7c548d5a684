<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * The client area's product page: one overview call and one client token per page view, each with a
 * short timeout, so a slow vpnflow costs the page at most a few seconds and then an error template.
 */
final class ClientArea
{
    /**
     * Variables for templates/clientarea.tpl, all under `$vpnflow`:
     *
     * - serviceId (int); status: provisioning|active|suspended|terminated; suspensionReasons: list of
     *   admin|billing|traffic; limitedByTraffic (bool); routerPending (bool: a change waits for the router)
     * - username (string); password (string|null: null unless the product lets the client see it);
     *   address (string|null: the account's fixed address)
     * - server: {name, hostname} (hostname is what the client's VPN app connects to)
     * - speed: {downloadMbps, uploadMbps} as the product sells them ('' = vpnflow's default, unlimited)
     * - traffic: {balanceBytes, balanceGb, perCycleBytes|null, perCycleGb|null, unlimited (bool),
     *   nextGrantAt|null (ISO time), cycleFrom|null, cycleDownloadBytes, cycleUploadBytes,
     *   cycleDownloadGb, cycleUploadGb}; bytes are decimal strings, GB = 10^9 bytes with 2 decimals
     * - live: {online (bool), asOf|null, sessions: list of {protocol, callerId, address, uptimeSeconds}}
     * - recentCredits: list of {date, kind, addedBytes, addedGb, description, invoice|null}; empty unless
     *   the product shows the history
     * - protocols: {pptp: {offered, customHtml}, l2tp: {offered, ipsecSecret, customHtml},
     *   ovpn: {offered, hasProfile, customHtml}, sstp: {offered, customHtml}}; customHtml is staff HTML,
     *   printed as is
     * - setupInstructionsUrl (string, '' when none)
     * - permissions: {statistics, history, buyTraffic, resetConnection, showPassword} (bools)
     * - refreshSeconds (int, 10..300): how often the widget refreshes the live view
     * - buyTrafficUrl (string|null): WHMCS's addon cart for this service, null when not allowed
     * - panel: {apiUrl, token|null, tokenExpiresAt|null}: the client token for /v1/client of this
     *   service (null when vpnflow could not issue one: the page still works without the widget)
     *
     * On failure the template is templates/error with `$errorMessage` (for the client, without details).
     *
     * @param array<string, mixed> $params
     * @return array{templatefile: string, vars: array<string, mixed>}
     */
    public static function render(array $params): array
    {
        $serviceId = (int) ($params['serviceid'] ?? 0);
        try {
            $server = ServerRecord::fromParams($params);
            $client = new ApiClient($server);
            $overview = $client->read("/v1/whmcs/services/$serviceId/overview")->body;
        } catch (\Throwable $problem) {
            Module::explainFailure('ClientArea', $problem, ['serviceId' => $serviceId]);
            return [
                'templatefile' => 'templates/error',
                'vars' => ['errorMessage' => Translator::forClient((int) ($params['userid'] ?? 0))->text('client.unavailable')],
            ];
        }
        $service = is_array($overview['service'] ?? null) ? $overview['service'] : [];
        WhmcsService::find($serviceId)->recordAccount($service);
        $extras = ProductExtras::forProduct((int) ($params['pid'] ?? 0));
        return [
            'templatefile' => 'templates/clientarea',
            'vars' => ['vpnflow' => self::vars($params, $overview, $extras) + ['panel' => self::panel($client, $serviceId)]],
        ];
    }

    /**
     * @param array<string, mixed> $params
     * @param array<string, mixed> $overview
     * @return array<string, mixed>
     */
    private static function vars(array $params, array $overview, ProductExtras $extras): array
    {
        $service = is_array($overview['service'] ?? null) ? $overview['service'] : [];
        $router = is_array($overview['router'] ?? null) ? $overview['router'] : [];
        $live = is_array($overview['live'] ?? null) ? $overview['live'] : [];
        $usage = is_array($overview['cycleUsage'] ?? null) ? $overview['cycleUsage'] : [];
        $product = ProductSettings::product($params, $extras);
        $protocols = is_array($product['protocols'] ?? null) ? $product['protocols'] : [];
        $offered = static fn (string $name) => (bool) ($protocols[$name]['enabled'] ?? false);
        $html = static fn (string $name) => (string) ($protocols[$name]['customHtml'] ?? '');
        $perCycle = $service['trafficPerCycleBytes'] ?? null;
        return [
            'serviceId' => (int) ($service['serviceId'] ?? $params['serviceid'] ?? 0),
            'status' => (string) ($service['status'] ?? ''),
            'suspensionReasons' => array_values((array) ($service['suspensionReasons'] ?? [])),
            'limitedByTraffic' => (bool) ($service['limitedByTraffic'] ?? false),
            'routerPending' => (bool) ($service['routerPending'] ?? false),
            'username' => (string) ($service['username'] ?? ''),
            'password' => $extras->allows('showPassword') ? (string) ($params['password'] ?? '') : null,
            'address' => $service['address'] ?? null,
            'server' => ['name' => (string) ($router['name'] ?? ''), 'hostname' => (string) ($router['publicHostname'] ?? '')],
            'speed' => ['downloadMbps' => $product['downloadMbps'] ?? '', 'uploadMbps' => $product['uploadMbps'] ?? ''],
            'traffic' => [
                'balanceBytes' => (string) ($service['balanceBytes'] ?? '0'),
                'balanceGb' => Bytes::gb($service['balanceBytes'] ?? '0'),
                'perCycleBytes' => $perCycle,
                'perCycleGb' => $perCycle === null ? null : Bytes::gb($perCycle),
                'unlimited' => $perCycle === null,
                'nextGrantAt' => $service['nextGrantAt'] ?? null,
                'cycleFrom' => $usage['from'] ?? null,
                'cycleDownloadBytes' => (string) ($usage['downloadBytes'] ?? '0'),
                'cycleUploadBytes' => (string) ($usage['uploadBytes'] ?? '0'),
                'cycleDownloadGb' => Bytes::gb($usage['downloadBytes'] ?? '0'),
                'cycleUploadGb' => Bytes::gb($usage['uploadBytes'] ?? '0'),
            ],
            'live' => [
                'online' => (bool) ($live['online'] ?? false),
                'asOf' => $live['asOf'] ?? null,
                'sessions' => array_map(static fn (array $session) => [
                    'protocol' => (string) ($session['protocol'] ?? ''),
                    'callerId' => (string) ($session['callerId'] ?? ''),
                    'address' => (string) ($session['address'] ?? ''),
                    'uptimeSeconds' => (int) ($session['uptimeSeconds'] ?? 0),
                ], array_values(array_filter((array) ($live['sessions'] ?? []), 'is_array'))),
            ],
            'recentCredits' => $extras->allows('history') ? self::credits($overview) : [],
            'protocols' => [
                'pptp' => ['offered' => $offered('pptp'), 'customHtml' => $html('pptp')],
                'l2tp' => [
                    'offered' => $offered('l2tp'),
                    'ipsecSecret' => (string) ($protocols['l2tp']['ipsecSecret'] ?? ''),
                    'customHtml' => $html('l2tp'),
                ],
                'ovpn' => ['offered' => $offered('ovpn'), 'hasProfile' => trim($extras->ovpnProfile) !== '', 'customHtml' => $html('ovpn')],
                'sstp' => ['offered' => $offered('sstp'), 'customHtml' => $html('sstp')],
            ],
            'setupInstructionsUrl' => (string) ($product['setupInstructionsUrl'] ?? ''),
            'permissions' => $extras->permissions,
            'refreshSeconds' => $extras->refreshSeconds,
            'buyTrafficUrl' => $extras->allows('buyTraffic') ? 'cart.php?gid=addons&pid=' . (int) ($params['serviceid'] ?? 0) : null,
        ];
    }

    /**
     * @param array<string, mixed> $overview
     * @return list<array<string, mixed>>
     */
    public static function credits(array $overview): array
    {
        $credits = [];
        foreach ((array) ($overview['recentCredits'] ?? []) as $credit) {
            if (!is_array($credit)) {
                continue;
            }
            $credits[] = [
                'date' => (string) ($credit['date'] ?? ''),
                'kind' => (string) ($credit['kind'] ?? ''),
                'addedBytes' => (string) ($credit['addedBytes'] ?? '0'),
                'addedGb' => Bytes::gb($credit['addedBytes'] ?? '0'),
                'description' => (string) ($credit['description'] ?? ''),
                'invoice' => isset($credit['invoice']) ? (string) $credit['invoice'] : null,
            ];
        }
        return $credits;
    }

    /** @return array{apiUrl: string, token: string|null, tokenExpiresAt: string|null} */
    private static function panel(ApiClient $client, int $serviceId): array
    {
        try {
            $issued = $client->send("/v1/whmcs/services/$serviceId/client-token", [], null, ApiClient::PAGE_TIMEOUT)->body;
            return [
                'apiUrl' => $client->server->baseUrl(),
                'token' => (string) ($issued['token'] ?? ''),
                'tokenExpiresAt' => (string) ($issued['expiresAt'] ?? ''),
            ];
        } catch (\Throwable $problem) {
            Module::explainFailure('ClientArea client token', $problem, ['serviceId' => $serviceId]);
            return ['apiUrl' => $client->server->baseUrl(), 'token' => null, 'tokenExpiresAt' => null];
        }
    }
}
