<?php

declare(strict_types=1);

namespace WHMCS\Module\Server\Vpnflow;

use WHMCS\Database\Capsule;
use WHMCS\Service\Status;

/**
 * ListAccounts for WHMCS's server sync: the accounts vpnflow runs on this server's router, identified
 * by PPP username as WHMCS stores it in the service's Username.
 */
final class AccountList
{
    /**
     * @param array<string, mixed> $params
     * @return array{success: bool, accounts?: list<array<string, string>>, error?: string}
     */
    public static function run(array $params): array
    {
        try {
            $server = ServerRecord::fromParams($params);
            $answer = (new ApiClient($server))
                ->read("/v1/whmcs/routers/{$server->routerId()}/accounts", [], ApiClient::COMMAND_TIMEOUT)
                ->body;
            $accounts = [];
            foreach (is_array($answer['accounts'] ?? null) ? $answer['accounts'] : [] as $account) {
                if (($account['status'] ?? '') === 'terminated') {
                    continue;
                }
                $created = strtotime((string) ($account['createdAt'] ?? ''));
                $accounts[] = [
                    'email' => (string) Capsule::table('tblclients')->where('id', (int) ($account['clientId'] ?? 0))->value('email'),
                    'username' => (string) $account['username'],
                    'domain' => '',
                    'uniqueIdentifier' => (string) $account['username'],
                    'product' => '',
                    'primaryip' => (string) ($account['address'] ?? ''),
                    'created' => $created === false ? '' : date('Y-m-d H:i:s', $created),
                    // A service still waiting for its router is Active in WHMCS already: its create succeeded.
                    'status' => ($account['status'] ?? '') === 'suspended' ? Status::SUSPENDED : Status::ACTIVE,
                ];
            }
            return ['success' => true, 'accounts' => $accounts];
        } catch (\Throwable $problem) {
            return ['success' => false, 'error' => Module::explainFailure('ListAccounts', $problem, [
                'routerId' => (string) ($params['serverusername'] ?? ''),
            ])];
        }
    }
}
