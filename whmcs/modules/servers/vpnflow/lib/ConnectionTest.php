<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

/**
 * TestConnection on the server page: signs a router probe, so one click checks the API address, the
 * shared secret, the router id and vpnflow's connection to the router. WHMCS shows only success or
 * the error, so the router's identity and RouterOS version go to the activity log.
 */
final class ConnectionTest
{
    /**
     * @param array<string, mixed> $params
     * @return array{success: bool, error: string}
     */
    public static function run(array $params): array
    {
        $routerId = (string) ($params['serverusername'] ?? '');
        try {
            $server = ServerRecord::fromParams($params);
            $router = (new ApiClient($server))
                ->read("/v1/whmcs/routers/{$server->routerId()}", ['probe' => 1], ApiClient::COMMAND_TIMEOUT)
                ->body;
            $facts = ['routerId' => $server->routerId(), 'routerName' => (string) ($router['name'] ?? '')];
            if (($router['enabled'] ?? true) === false) {
                throw new ModuleProblem('error.routerDisabled', $facts);
            }
            $probe = is_array($router['probe'] ?? null) ? $router['probe'] : [];
            if (($probe['ok'] ?? false) !== true) {
                $error = is_array($probe['error'] ?? null) ? $probe['error'] : [];
                throw new ModuleProblem('error.probeFailed', $facts + [
                    'error' => trim(($error['kind'] ?? '') . ': ' . ($error['message'] ?? ''), ': ') ?: '-',
                ]);
            }
            logActivity(Translator::forStaff()->text('activity.routerProbe', $facts + [
                'identity' => (string) ($probe['identity'] ?? ''),
                'version' => (string) ($probe['version'] ?? ''),
                'board' => (string) ($probe['board'] ?? ''),
            ]));
            return ['success' => true, 'error' => ''];
        } catch (\Throwable $problem) {
            return ['success' => false, 'error' => Module::explainFailure('TestConnection', $problem, ['routerId' => $routerId])];
        }
    }
}
