<?php

declare(strict_types=1);

namespace Vpnflow\Tests\StandIn;

use WHMCS\Database\Capsule;

/**
 * `$params` as WHMCS assembles them from its rows (developers.whmcs.com, Module Parameters): the
 * service, its product's configoption1..24, its client and its server, passwords decrypted.
 */
final class ModuleParams
{
    /** @return array<string, mixed> */
    public static function forService(int $serviceId): array
    {
        $service = Capsule::table('tblhosting')->where('id', $serviceId)->first();
        $product = Capsule::table('tblproducts')->where('id', $service->packageid)->first();
        $client = Capsule::table('tblclients')->where('id', $service->userid)->first();
        $params = [
            'accountid' => (int) $service->id,
            'serviceid' => (int) $service->id,
            'addonId' => 0,
            'userid' => (int) $service->userid,
            'pid' => (int) $service->packageid,
            'packageid' => (int) $service->packageid,
            'serverid' => (int) $service->server,
            'domain' => (string) $service->domain,
            'username' => (string) $service->username,
            'password' => decrypt($service->password),
            'status' => (string) $service->domainstatus,
            'producttype' => (string) $product->type,
            'moduletype' => (string) $product->servertype,
            'customfields' => [],
            'configoptions' => [],
            'clientsdetails' => [
                'userid' => (int) $client->id,
                'id' => (int) $client->id,
                'firstname' => (string) $client->firstname,
                'lastname' => (string) $client->lastname,
                'email' => (string) $client->email,
                'language' => (string) $client->language,
            ],
        ];
        for ($slot = 1; $slot <= 24; $slot++) {
            $params["configoption$slot"] = (string) $product->{"configoption$slot"};
        }
        return $params + self::forServer((int) $service->server);
    }

    /**
     * An addon's module call: the parent service's parameters with addonId (tblhostingaddons.id) and
     * the addon's own module settings from tblmodule_configuration, by slot and by friendly name.
     *
     * @return array<string, mixed>
     */
    public static function forAddon(int $hostingAddonId): array
    {
        $hostingAddon = Capsule::table('tblhostingaddons')->where('id', $hostingAddonId)->first();
        $params = ['addonId' => $hostingAddonId] + self::forService((int) $hostingAddon->hostingid);
        $settings = Capsule::table('tblmodule_configuration')
            ->where('entity_type', 'addon')
            ->where('entity_id', $hostingAddon->addonid)
            ->get();
        for ($slot = 1; $slot <= 24; $slot++) {
            $params["configoption$slot"] = '';
        }
        foreach ($settings as $setting) {
            $params[$setting->setting_name] = $setting->value;
            $params[$setting->friendly_name] = $setting->value;
        }
        return $params;
    }

    /** @return array<string, mixed> the server part, which is all TestConnection and ListAccounts get */
    public static function forServer(int $serverId): array
    {
        $server = Capsule::table('tblservers')->where('id', $serverId)->first();
        return [
            'server' => true,
            'serverid' => (int) $server->id,
            'serverip' => (string) $server->ipaddress,
            'serverhostname' => (string) $server->hostname,
            'serverport' => (string) $server->port,
            'serverusername' => (string) $server->username,
            'serverpassword' => decrypt($server->password),
            'serveraccesshash' => (string) $server->accesshash,
            'serversecure' => $server->secure === 'on',
            'serverhttpprefix' => $server->secure === 'on' ? 'https' : 'http',
        ];
    }
}
