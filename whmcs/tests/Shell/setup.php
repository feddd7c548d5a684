<?php

/**
 * `php tests/Shell/setup.php '<json>'`: the rows WHMCS would hold after staff set up servers, products and
 * addons and clients ordered, for the browser tests (test/whmcs/client-area.test.ts), in the shell's
 * database. Answers JSON. Commands (`command` in the JSON): numbering, server, product, client, admin,
 * service, addon, serverPort.
 */

declare(strict_types=1);

require __DIR__ . '/../bootstrap.php';

use Vpnflow\Tests\StandIn\Fixtures;
use Vpnflow\Tests\StandIn\ModuleParams;
use WHMCS\Database\Capsule;
use WHMCS\Module\Server\Vpnflow\ProductExtras;

set_error_handler(static function (int $level, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $level, $file, $line);
});
$input = json_decode($argv[1] ?? '{}', true, 512, JSON_THROW_ON_ERROR);
$answer = match ($input['command']) {
    // Invoices and lines numbered from `from` on: vpnflow, shared with the PHPUnit tests' own stand-in,
    // takes a line's numbers for unique, as a single WHMCS's are.
    'numbering' => ['from' => (static function (int $from): int {
        foreach (['tblinvoices', 'tblinvoiceitems'] as $table) {
            Capsule::table('sqlite_sequence')->updateOrInsert(['name' => $table], ['seq' => $from]);
        }
        return $from;
    })((int) $input['from'])],
    'server' => ['serverId' => Fixtures::server((int) $input['routerId'])],
    'serverPort' => ['updated' => Capsule::table('tblservers')->where('id', (int) $input['serverId'])->update(['port' => (string) $input['port']])],
    'product' => (static function (array $input): array {
        $slots = [];
        foreach ($input['slots'] ?? [] as $position => $value) {
            $slots[(int) $position] = (string) $value;
        }
        $productId = Fixtures::product($slots);
        Capsule::table('tblproducts')->where('id', $productId)->update(['name' => (string) ($input['name'] ?? 'VPN')]);
        $form = ['vpnflow_refresh_seconds' => (string) ($input['refreshSeconds'] ?? 30), 'vpnflow_ovpn_profile' => (string) ($input['ovpnProfile'] ?? '')];
        foreach (array_keys(ProductExtras::PERMISSIONS) as $permission) {
            if (!in_array($permission, $input['forbidden'] ?? [], true)) {
                $form["vpnflow_$permission"] = '1';
            }
        }
        ProductExtras::saveForm($productId, $form);
        return ['productId' => $productId];
    })($input),
    'client' => ['clientId' => Fixtures::client((string) ($input['language'] ?? 'english'))],
    'admin' => ['adminId' => Capsule::table('tbladmins')->insertGetId(['username' => 'staff', 'language' => (string) ($input['language'] ?? 'english')])],
    'service' => (static function (array $input): array {
        // The caller picks the id: vpnflow's database is shared with other test files.
        $serviceId = (int) $input['serviceId'];
        Fixtures::service((int) $input['productId'], (int) $input['serverId'], (int) $input['clientId'], ['id' => $serviceId, 'username' => "vpnu$serviceId"]);
        $result = vpnflow_CreateAccount(ModuleParams::forService($serviceId));
        if ($result !== 'success') {
            throw new RuntimeException("CreateAccount: $result");
        }
        Capsule::table('tblhosting')->where('id', $serviceId)->update(['domainstatus' => 'Active']);
        $hosting = Capsule::table('tblhosting')->where('id', $serviceId)->first();
        return ['serviceId' => $serviceId, 'username' => $hosting->username, 'password' => Fixtures::PASSWORD, 'address' => $hosting->dedicatedip];
    })($input),
    'addon' => (static function (array $input): array {
        $addonId = Capsule::table('tbladdons')->insertGetId([
            'name' => (string) $input['name'],
            'description' => (string) ($input['description'] ?? ''),
            'module' => (string) ($input['module'] ?? 'vpnflow'),
            'packages' => implode(',', $input['productIds']),
            'billingcycle' => (string) ($input['billingCycle'] ?? 'onetime'),
        ]);
        if (($input['module'] ?? 'vpnflow') === 'vpnflow') {
            Capsule::table('tblmodule_configuration')->insert([
                'entity_type' => 'addon', 'entity_id' => $addonId, 'setting_name' => 'configoption1',
                'friendly_name' => 'Traffic (GB)', 'value' => (string) $input['gb'],
            ]);
        }
        Capsule::table('tblpricing')->insert(['type' => 'addon', 'currency' => 1, 'relid' => $addonId] + $input['prices']);
        return ['addonId' => $addonId];
    })($input),
};
echo json_encode($answer, JSON_THROW_ON_ERROR);
