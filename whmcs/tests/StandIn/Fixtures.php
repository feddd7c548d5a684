<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

use WHMCS\Database\Capsule;

/** Rows as WHMCS writes them when staff set up servers and products and clients order and pay. */
final class Fixtures
{
    public const PASSWORD = 'First-Passw0rd';

    /** Slot values of a typical product: any PPP service, 10/2 Mbit/s, 50 GB a month. */
    public const PRODUCT = [
        2 => 'any',
        3 => 'acme',
        4 => '10',
        5 => '2',
        6 => '50',
        12 => '5',
        13 => '1',
        14 => '30',
    ];

    public static function client(string $language = 'english'): int
    {
        return Capsule::table('tblclients')->insertGetId([
            'firstname' => 'Ada',
            'lastname' => 'Lovelace',
            'email' => 'ada+' . bin2hex(random_bytes(3)) . '@example.net',
            'language' => $language,
        ]);
    }

    /** One server record = one vpnflow router; Password is vpnflow's WHMCS_SHARED_SECRET. */
    public static function server(int $routerId, array $overrides = []): int
    {
        $api = Env::api();
        return Capsule::table('tblservers')->insertGetId($overrides + [
            'name' => "vpnflow router $routerId",
            'hostname' => $api['host'],
            'port' => $api['port'],
            'secure' => '',
            'username' => (string) $routerId,
            'password' => encrypt(Env::secret()),
            'type' => 'vpnflow',
        ]);
    }

    /** @param array<int, string> $slots configoption position => value, over PRODUCT */
    public static function product(array $slots = [], string $module = 'vpnflow'): int
    {
        $row = ['name' => 'VPN ' . bin2hex(random_bytes(3)), 'servertype' => $module];
        foreach (array_replace(self::PRODUCT, $slots) as $position => $value) {
            $row["configoption$position"] = $value;
        }
        return Capsule::table('tblproducts')->insertGetId($row);
    }

    /** A service as WHMCS holds it before CreateAccount: ordered today, due in a month. */
    public static function service(int $productId, int $serverId, int $clientId, array $overrides = []): int
    {
        $id = Env::nextServiceId();
        Capsule::table('tblhosting')->insert($overrides + [
            'id' => $id,
            'userid' => $clientId,
            'packageid' => $productId,
            'server' => $serverId,
            'regdate' => gmdate('Y-m-d'),
            'billingcycle' => 'Monthly',
            'nextduedate' => gmdate('Y-m-d', strtotime('+1 month')),
            'domainstatus' => 'Pending',
            'username' => "vpnu$id",
            'password' => encrypt(self::PASSWORD),
        ]);
        return $id;
    }

    /** A product addon; `module` vpnflow makes it a traffic addon with its "Traffic (GB)" setting. */
    public static function addon(string $gb, string $module = 'vpnflow'): int
    {
        $addonId = Capsule::table('tbladdons')->insertGetId(['name' => "Traffic $gb GB", 'module' => $module]);
        if ($module === 'vpnflow') {
            Capsule::table('tblmodule_configuration')->insert([
                'entity_type' => 'addon',
                'entity_id' => $addonId,
                'setting_name' => 'configoption1',
                'friendly_name' => 'Traffic (GB)',
                'value' => $gb,
            ]);
        }
        return $addonId;
    }

    /** The addon as ordered on a service (tblhostingaddons). */
    public static function orderAddon(int $serviceId, int $addonId, int $quantity = 1): int
    {
        return Capsule::table('tblhostingaddons')->insertGetId([
            'hostingid' => $serviceId,
            'addonid' => $addonId,
            'userid' => (int) Capsule::table('tblhosting')->where('id', $serviceId)->value('userid'),
            'qty' => $quantity,
        ]);
    }

    /**
     * A paid invoice with one line per ordered addon (type Addon, relid = tblhostingaddons.id).
     *
     * @param list<int> $hostingAddonIds
     * @return array{invoiceId: int, itemIds: list<int>}
     */
    public static function paidInvoice(int $clientId, array $hostingAddonIds, string $status = 'Paid'): array
    {
        $invoiceId = Capsule::table('tblinvoices')->insertGetId(['userid' => $clientId, 'status' => $status]);
        $itemIds = [];
        foreach ($hostingAddonIds as $hostingAddonId) {
            $name = Capsule::table('tblhostingaddons')
                ->join('tbladdons', 'tbladdons.id', '=', 'tblhostingaddons.addonid')
                ->where('tblhostingaddons.id', $hostingAddonId)
                ->value('tbladdons.name');
            $itemIds[] = Capsule::table('tblinvoiceitems')->insertGetId([
                'invoiceid' => $invoiceId,
                'userid' => $clientId,
                'type' => 'Addon',
                'relid' => $hostingAddonId,
                'description' => "Addon: $name",
                'amount' => 5,
            ]);
        }
        return ['invoiceId' => $invoiceId, 'itemIds' => $itemIds];
    }
}
